package dev.antler.tokens;

/**
 * The most input tokens a prompt can cost, added up by a family walking its request: text, and media
 * (images, audio, documents) at the bounds the family gives them.
 *
 * <p>Text is counted cheaply as its UTF-8 bytes: no BPE token is shorter than one byte, so that bounds any
 * tokenizer. With {@code tokenizer}, text is counted with o200k instead, times the family's margin for
 * tokenizers that split finer (older OpenAI models, Claude), and never above the byte bound: slower, tighter,
 * used when the balance is close to the cheap bound.
 */
public final class PromptTally {

    /** Tokens added per JSON object (message, content part, tool): role markers and framing. */
    static final long FRAMING_TOKENS = 4;

    private final StringBuilder text;
    private long textBytes;
    private long objects;
    private long mediaTokens;

    public PromptTally(boolean tokenizer) {
        this.text = tokenizer ? new StringBuilder() : null;
    }

    public void text(String value) {
        textBytes += utf8Length(value);
        if (text != null) {
            text.append(value).append('\n');
        }
    }

    /** One more message, content part or definition. */
    public void object() {
        objects++;
    }

    /** Tokens an image, an audio clip or a document counts for at most. */
    public void media(long tokens) {
        mediaTokens = Math.addExact(mediaTokens, tokens);
    }

    /**
     * The bound; {@code marginPercent} scales the o200k count for the family's own tokenizer (e.g. 125 for
     * a quarter more) and is unused for the byte bound.
     */
    public long tokens(int marginPercent) {
        long textTokens = textBytes;
        if (text != null) {
            textTokens = Math.min(textBytes, (TokenEstimator.count(text) * marginPercent + 99) / 100);
        }
        return textTokens + FRAMING_TOKENS * objects + mediaTokens + 1;
    }

    static long utf8Length(String value) {
        long bytes = value.length();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // Two bytes up to U+07FF, three for the rest of the BMP; a surrogate pair (4 bytes) is 2 + 2 here.
                bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }
}

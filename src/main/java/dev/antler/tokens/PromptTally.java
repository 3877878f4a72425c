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

    /**
     * The byte bound of a JSON request without parsing it, when it cannot hold media: every string, name and
     * number counts at most its raw bytes, and every object starts with a '{'. -1 when the body names one of
     * {@code mediaKeys} (quoted, as a key or anywhere else) or has a backslash-u escape that could spell one:
     * then the family walks it.
     */
    public static long plainTextBound(byte[] json, byte[][] mediaKeys) {
        long objects = 0;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (b == '{') {
                objects++;
            } else if (b == '\\' && i + 1 < json.length && json[i + 1] == 'u') {
                return -1;
            } else if (b == '"' && startsWithAny(json, i + 1, mediaKeys)) {
                return -1;
            }
        }
        return json.length + FRAMING_TOKENS * objects + 1;
    }

    private static boolean startsWithAny(byte[] json, int at, byte[][] prefixes) {
        for (byte[] prefix : prefixes) {
            if (at + prefix.length <= json.length && java.util.Arrays.equals(json, at, at + prefix.length, prefix, 0,
                    prefix.length)) {
                return true;
            }
        }
        return false;
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

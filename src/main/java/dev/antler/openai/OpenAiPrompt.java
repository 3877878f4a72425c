package dev.antler.openai;

import dev.antler.config.BillingConfig;
import dev.antler.json.Json;
import dev.antler.tokens.PdfPages;
import dev.antler.tokens.PromptTally;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The most prompt tokens an OpenAI-format JSON request can cost: its text (messages, system and developer
 * prompts, tool definitions, every other string and name), each image at the model's worst case
 * ({@link ImageTokens}), audio from its size, files by their pages. One streaming pass over the body; base64
 * media is measured or skipped, never made into a String.
 */
final class OpenAiPrompt {

    /** o200k count scaled up a quarter for models on other tokenizers (cl100k splits some text finer). */
    static final int TOKENIZER_MARGIN_PERCENT = 125;

    /** What an object seen so far is (Responses parts name their kind in "type", before or after the data). */
    private static final class Part {
        String type = "";
        boolean fileReference;
    }

    private final BillingConfig billing;
    private final long imageTokens;
    private final PromptTally tally;
    private final Deque<Part> parts = new ArrayDeque<>();

    private OpenAiPrompt(String model, BillingConfig billing, boolean tokenizer) {
        this.billing = billing;
        this.imageTokens = billing.imagePromptTokens() != null ? billing.imagePromptTokens() : ImageTokens.worstCase(model);
        this.tally = new PromptTally(tokenizer);
    }

    /** Keys (and key prefixes) whose values {@link #property} counts as media: a body without them needs no walk. */
    private static final byte[][] MEDIA_KEYS = {
            "image_url".getBytes(StandardCharsets.US_ASCII), "input_audio".getBytes(StandardCharsets.US_ASCII),
            "file_".getBytes(StandardCharsets.US_ASCII)};

    /** The bound for {@code body}; {@code tokenizer} counts its text with o200k rather than by bytes. */
    static long tokens(byte[] body, String model, BillingConfig billing, boolean tokenizer) {
        if (!tokenizer) {
            long plain = PromptTally.plainTextBound(body, MEDIA_KEYS);
            if (plain >= 0) {
                return plain; // most requests: text only, bounded by a byte scan instead of a parse
            }
        }
        return walked(body, model, billing, tokenizer);
    }

    /** The bound from a walk of the whole body. */
    static long walked(byte[] body, String model, BillingConfig billing, boolean tokenizer) {
        OpenAiPrompt prompt = new OpenAiPrompt(model, billing, tokenizer);
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            prompt.walk(parser);
        }
        return prompt.tally.tokens(TOKENIZER_MARGIN_PERCENT);
    }

    private void walk(JsonParser parser) {
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            token(parser, token);
        }
    }

    private void token(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_OBJECT -> {
                parts.push(new Part());
                tally.object();
            }
            case END_OBJECT -> close(parts.pop());
            case PROPERTY_NAME -> property(parser, parser.currentName());
            case VALUE_STRING -> tally.text(parser.getString());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> tally.text(parser.getText());
            default -> { }
        }
    }

    /** Reads the value of field {@code name} when it is media; any other value goes on through {@link #token}. */
    private void property(JsonParser parser, String name) {
        tally.text(name);
        JsonToken value = switch (name) {
            case "image_url", "input_audio", "file_data", "file_id", "file_url", "type" -> parser.nextToken();
            default -> null;
        };
        if (value == null) {
            return;
        }
        Part part = parts.element();
        if (name.equals("image_url") && (value == JsonToken.VALUE_STRING || value == JsonToken.START_OBJECT)) {
            parser.skipChildren(); // a URL, or {"url": ..., "detail": ...}: the worst case either way
            tally.media(imageTokens);
        } else if (name.equals("input_audio") && value == JsonToken.START_OBJECT) {
            audio(parser);
        } else if (name.equals("file_data") && value == JsonToken.VALUE_STRING) {
            tally.media(PdfPages.bound(CharBuffer.wrap(parser.getStringCharacters(), parser.getStringOffset(),
                    parser.getStringLength())) * billing.documentPageTokens());
        } else if (name.startsWith("file_") && value == JsonToken.VALUE_STRING) {
            part.fileReference = true;
        } else {
            if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                part.type = parser.getString();
            }
            token(parser, value);
        }
    }

    /** {"data": base64, "format": ...}: seconds from the decoded size, at the audio token rate. */
    private void audio(JsonParser parser) {
        long base64Chars = 0;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("data") && value == JsonToken.VALUE_STRING) {
                base64Chars += parser.getStringLength();
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
        long seconds = Math.max(1, (base64Chars * 3 / 4 + OpenAiOperations.AUDIO_BYTES_PER_SECOND - 1)
                / OpenAiOperations.AUDIO_BYTES_PER_SECOND);
        tally.media(seconds * OpenAiOperations.AUDIO_TOKENS_PER_SECOND);
    }

    /** A file given by reference cannot be read here: an image part's at the image bound, a file's at the most pages. */
    private void close(Part part) {
        if (part.fileReference) {
            tally.media(part.type.equals("input_image") ? imageTokens : PdfPages.MAX * billing.documentPageTokens());
        }
    }
}

package dev.antler.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.antler.json.Json;
import io.vertx.core.Context;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Counts tokens with the o200k_base encoding (GPT-4o and later) when an upstream reports no usage.
 * The encoding is loaded on first use, never at start-up. Counting blocks: the gateway counts off the
 * event loop ({@link TokenCounting}).
 */
public final class TokenEstimator {

    private static final LongAdder COUNTED_ON_EVENT_LOOP = new LongAdder();

    private TokenEstimator() {}

    private static final class Holder {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    public static long count(CharSequence text) {
        if (Context.isOnEventLoopThread()) {
            COUNTED_ON_EVENT_LOOP.increment();
        }
        if (text.isEmpty()) {
            return 0;
        }
        return Holder.ENCODING.countTokensOrdinary(text.toString());
    }

    /** How many counts ran on an event loop thread since start: none should (for tests to check). */
    public static long countsOnEventLoop() {
        return COUNTED_ON_EVENT_LOOP.sum();
    }

    /** Tokens of every string value in {@code node} (message contents, prompts, inputs), plus a few per message. */
    public static long countStrings(JsonNode node) {
        StringBuilder text = new StringBuilder();
        long[] objects = {0};
        collect(node, text, objects);
        return count(text) + 3 * objects[0];
    }

    /**
     * As {@link #countStrings(JsonNode)} over the top-level {@code fields} of the JSON object {@code json}, read
     * as a stream: a large request is counted without building its tree. Malformed JSON counts what was read.
     */
    public static long countStrings(byte[] json, Set<String> fields) {
        StringBuilder text = new StringBuilder();
        long objects = 0;
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                boolean counted = fields.contains(parser.currentName());
                JsonToken value = parser.nextToken();
                if (!counted) {
                    parser.skipChildren();
                    continue;
                }
                int depth = 0;
                do {
                    switch (value) {
                        case START_OBJECT -> {
                            objects++;
                            depth++;
                        }
                        case START_ARRAY -> depth++;
                        case END_OBJECT, END_ARRAY -> depth--;
                        case VALUE_STRING -> text.append(parser.getString()).append('\n');
                        default -> { }
                    }
                } while (depth > 0 && (value = parser.nextToken()) != null);
            }
        } catch (JacksonException e) {
            // count what was read
        }
        return count(text) + 3 * objects;
    }

    private static void collect(JsonNode node, StringBuilder text, long[] objects) {
        if (node == null) {
            return;
        }
        if (node.isString()) {
            text.append(node.stringValue()).append('\n');
        } else if (node.isObject()) {
            objects[0]++;
            node.properties().forEach(e -> collect(e.getValue(), text, objects));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, text, objects));
        }
    }
}

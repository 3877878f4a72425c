package dev.antler.anthropic;

import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;

/** Builds the SSE bytes of a translated stream: Anthropic's named events, OpenAI's bare data lines. */
final class SseOut {

    private final Buffer buffer = Buffer.buffer();

    /** {@code event: <type>} then the data, as Anthropic names each event after its {@code type}. */
    SseOut named(JsonNode data) {
        buffer.appendString("event: ").appendString(data.path("type").asString()).appendString("\ndata: ")
                .appendBytes(Json.bytes(data)).appendString("\n\n");
        return this;
    }

    SseOut data(JsonNode data) {
        buffer.appendString("data: ").appendBytes(Json.bytes(data)).appendString("\n\n");
        return this;
    }

    SseOut done() {
        buffer.appendString("data: [DONE]\n\n");
        return this;
    }

    Buffer buffer() {
        return buffer;
    }
}

package dev.antler.anthropic;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.antler.json.Json;
import dev.antler.relay.ResponseTap;
import java.io.ByteArrayOutputStream;
import tools.jackson.databind.JsonNode;

/** Builds the SSE bytes of a translated stream: Anthropic's named events, OpenAI's bare data lines. */
final class SseOut {

    private static final byte[] EVENT = "event: ".getBytes(UTF_8);
    private static final byte[] DATA = "data: ".getBytes(UTF_8);
    private static final byte[] NAMED_DATA = "\ndata: ".getBytes(UTF_8);
    private static final byte[] END = "\n\n".getBytes(UTF_8);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(UTF_8);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** {@code event: <type>} then the data, as Anthropic names each event after its {@code type}. */
    SseOut named(JsonNode data) {
        out.writeBytes(EVENT);
        out.writeBytes(data.path("type").asString().getBytes(UTF_8));
        out.writeBytes(NAMED_DATA);
        out.writeBytes(Json.bytes(data));
        out.writeBytes(END);
        return this;
    }

    SseOut data(JsonNode data) {
        out.writeBytes(DATA);
        out.writeBytes(Json.bytes(data));
        out.writeBytes(END);
        return this;
    }

    SseOut done() {
        out.writeBytes(DONE);
        return this;
    }

    /** The events built; {@link ResponseTap#NOTHING} when there are none. */
    byte[] bytes() {
        return out.size() == 0 ? ResponseTap.NOTHING : out.toByteArray();
    }
}

package dev.antler.suno;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The task relays' envelope, used by Suno and Udio alike: {@code {"code":"<error code>","message":"...
 * (request id: ...)","data":null}}, where a success carries {@code code:"success"}. These families do not
 * stream; a failure after a stream started (never, today) would be the same object as one SSE event.
 */
public final class SunoErrorFormat implements ErrorFormat {

    public static final SunoErrorFormat INSTANCE = new SunoErrorFormat();

    private SunoErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(envelope(error, requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return Buffer.buffer("data: ").appendBytes(Json.bytes(envelope(error, requestId))).appendString("\n\n");
    }

    /** An upstream relay's error in this envelope: a string {@code code} and a string {@code message}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return root.isObject() && root.path("code").isString() && root.path("message").isString()
                    && !"success".equals(root.path("code").asString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ObjectNode envelope(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("code", error.code());
        root.put("message", error.getMessage() + " (request id: " + requestId + ")");
        root.putNull("data");
        return root;
    }
}

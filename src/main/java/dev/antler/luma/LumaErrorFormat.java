package dev.antler.luma;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Luma's envelope, which its official API and the reverse relays share: {@code {"detail": "..."}} with the HTTP
 * status, the gateway's request id in the message. Luma does not stream; a failure after a stream started (never)
 * would be the same object.
 */
final class LumaErrorFormat implements ErrorFormat {

    static final LumaErrorFormat INSTANCE = new LumaErrorFormat();

    private LumaErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(detail(error.getMessage() + " (request id: " + requestId + ")")));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An upstream error already in Luma's envelope: an object with a {@code detail}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return root.isObject() && root.has("detail");
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ObjectNode detail(String message) {
        ObjectNode root = Json.object();
        root.put("detail", message);
        return root;
    }
}

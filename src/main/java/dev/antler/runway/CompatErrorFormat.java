package dev.antler.runway;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * DeerAPI's envelope for Runway's reverse ("compat") routes, for errors: {@code {"code": <HTTP status>, "msg":
 * "...", "data": null, "exec_time": 0}} (a success carries {@code code: 200}); the request id is in {@code msg}.
 */
final class CompatErrorFormat implements ErrorFormat {

    static final CompatErrorFormat INSTANCE = new CompatErrorFormat();

    private CompatErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("code", error.status());
        root.put("msg", error.getMessage() + " (request id: " + requestId + ")");
        root.putNull("data");
        root.put("exec_time", 0);
        return Buffer.buffer(Json.bytes(root));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An upstream error already in the envelope: an integer {@code code} other than 200 and a string {@code msg}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return root.isObject() && root.path("code").isIntegralNumber() && root.path("code").asInt() != 200
                    && root.path("msg").isString();
        } catch (RuntimeException e) {
            return false;
        }
    }
}

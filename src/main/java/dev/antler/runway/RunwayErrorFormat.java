package dev.antler.runway;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runway's error shape: {@code {"error": "<human-readable explanation>"}} (docs.dev.runwayml.com, API errors); a bad
 * field also lists Runway's {@code issues: [{code, path, message}]} as its validator does. The request id is in the
 * message, as the shape has no field for it (and in the {@code X-Request-Id} header).
 */
final class RunwayErrorFormat implements ErrorFormat {

    static final RunwayErrorFormat INSTANCE = new RunwayErrorFormat();

    private RunwayErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("error", error.getMessage() + " (request id: " + requestId + ")");
        if (error instanceof BadField bad) {
            ObjectNode issue = root.putArray("issues").addObject();
            issue.put("code", bad.issue());
            issue.putArray("path").add(bad.field());
            issue.put("message", bad.getMessage());
        }
        return Buffer.buffer(Json.bytes(root));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An upstream error already in Runway's shape: an object with a string {@code error}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return root.isObject() && root.path("error").isString();
        } catch (RuntimeException e) {
            return false;
        }
    }
}

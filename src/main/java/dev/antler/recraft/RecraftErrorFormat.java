package dev.antler.recraft;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recraft's error shape, {@code {"code": "...", "message": "..."}}; the gateway adds {@code request_id} beside
 * them. An upstream 4xx already in this shape reaches the client as it is.
 */
public final class RecraftErrorFormat implements ErrorFormat {

    public static final RecraftErrorFormat INSTANCE = new RecraftErrorFormat();

    private RecraftErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(body(error, requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return Buffer.buffer("data: ").appendBytes(Json.bytes(body(error, requestId))).appendString("\n\n");
    }

    @Override
    public boolean isOwnEnvelope(String json) {
        JsonNode node = Json.objectOrNull(json.getBytes(StandardCharsets.UTF_8));
        return node != null && node.path("code").isString() && node.path("message").isString();
    }

    private static ObjectNode body(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("code", error.code());
        root.put("message", error.getMessage());
        root.put("request_id", requestId);
        return root;
    }
}

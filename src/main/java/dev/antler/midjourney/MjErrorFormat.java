package dev.antler.midjourney;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Midjourney-proxy's envelope: {@code {"code": 4, "description": "...", "result": null}}. The code follows
 * the protocol: 3 not found, 4 bad request, 9 system failure (with the HTTP status alongside).
 */
public final class MjErrorFormat implements ErrorFormat {

    public static final MjErrorFormat INSTANCE = new MjErrorFormat();

    private MjErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("code", error.status() == 404 ? 3 : error.status() < 500 ? 4 : 9);
        root.put("description", error.getMessage());
        root.putNull("result");
        root.put("type", error.code());
        root.put("request_id", requestId);
        return Buffer.buffer(Json.bytes(root));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }
}

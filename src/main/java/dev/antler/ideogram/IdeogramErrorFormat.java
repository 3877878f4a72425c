package dev.antler.ideogram;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ideogram's error shape, {@code {"error": "<message>"}}, which Ideogram clients read as a string; the
 * gateway adds {@code code} (stable, machine-readable) and {@code request_id} beside it.
 */
public final class IdeogramErrorFormat implements ErrorFormat {

    public static final IdeogramErrorFormat INSTANCE = new IdeogramErrorFormat();

    private IdeogramErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(body(error, requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return Buffer.buffer("data: ").appendBytes(Json.bytes(body(error, requestId))).appendString("\n\n");
    }

    private static ObjectNode body(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("error", error.getMessage());
        root.put("code", error.code());
        root.put("request_id", requestId);
        return root;
    }
}

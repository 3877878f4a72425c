package dev.antler.http;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI's envelope: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrorFormat implements ErrorFormat {

    public static final OpenAiErrorFormat INSTANCE = new OpenAiErrorFormat();

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(envelope(error, requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return Buffer.buffer("data: ").appendBytes(Json.bytes(envelope(error, requestId))).appendString("\n\n");
    }

    private static ObjectNode envelope(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        ObjectNode body = root.putObject("error");
        body.put("message", error.getMessage() + " (request id: " + requestId + ")");
        body.put("type", error.kind().openAiType());
        body.putNull("param");
        body.put("code", error.code());
        return root;
    }
}

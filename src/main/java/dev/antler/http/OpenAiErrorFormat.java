package dev.antler.http;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's envelope: {@code {"error":{"message","type","param","code"}}}. Also the gateway's default, for
 * routes of no family (unknown paths, balance, files): it is what most clients parse.
 */
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
        body.put("type", type(error.kind()));
        body.putNull("param");
        body.put("code", error.code());
        return root;
    }

    /** OpenAI's {@code error.type} for {@code kind}. */
    static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, NOT_FOUND, TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case INSUFFICIENT_QUOTA -> "insufficient_quota";
            case RATE_LIMIT -> "rate_limit_error";
            case UPSTREAM -> "upstream_error";
            case NO_CHANNEL, SERVER -> "server_error";
        };
    }
}

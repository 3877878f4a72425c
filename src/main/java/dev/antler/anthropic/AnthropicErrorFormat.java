package dev.antler.anthropic;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's envelope, {@code {"type":"error","error":{"type","message"},"request_id"}}, with the
 * error type taken from the status as Anthropic's table gives it; in a stream, {@code event: error}.
 */
public final class AnthropicErrorFormat implements ErrorFormat {

    public static final AnthropicErrorFormat INSTANCE = new AnthropicErrorFormat();

    /** Anthropic's {@code error.type} for an HTTP status. */
    public static String typeOf(int status) {
        return switch (status) {
            case 400, 405, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(envelope(error, requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return Buffer.buffer("event: error\ndata: ").appendBytes(Json.bytes(envelope(error, requestId)))
                .appendString("\n\n");
    }

    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return "error".equals(root.path("type").asString("")) && root.path("error").path("message").isString();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ObjectNode envelope(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode body = root.putObject("error");
        body.put("type", typeOf(error.status()));
        body.put("message", error.getMessage() + " (request id: " + requestId + ")");
        root.put("request_id", requestId);
        return root;
    }
}

package dev.antler.minimax;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MiniMax V2's error shape, answered with the real HTTP status as MiniMax does:
 * {@code {"type": "error", "error": {"type": ..., "message": "... (<code>)", "http_code": "400"}, "request_id": ...}},
 * the message ending with MiniMax's code in brackets (the codes of {@link MiniMaxErrorFormat}). Types:
 * {@code bad_request_error} (400, 404, 405, 413), {@code authorized_error} (401, 403),
 * {@code insufficient_balance_error} (the caller's balance, 402), {@code unprocessable_entity_error} (422),
 * {@code rate_limit_error} (429), {@code overloaded_error} (503), {@code server_error} (the rest).
 */
final class MiniMaxV2ErrorFormat implements ErrorFormat {

    static final MiniMaxV2ErrorFormat INSTANCE = new MiniMaxV2ErrorFormat();

    private MiniMaxV2ErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(body(error.status(), type(error),
                error.getMessage() + " (" + MiniMaxErrorFormat.statusCode(error) + ")", requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An answer already in this shape: {@code type: "error"} and an {@code error} object with a message. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return "error".equals(root.path("type").asString("")) && root.path("error").path("message").isString();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ObjectNode body(int httpStatus, String type, String message, String requestId) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", type);
        error.put("message", message);
        error.put("http_code", Integer.toString(httpStatus));
        root.put("request_id", requestId == null ? "" : requestId);
        return root;
    }

    static String type(GatewayException error) {
        if ("insufficient_quota".equals(error.code())) {
            return "insufficient_balance_error";
        }
        return switch (error.status()) {
            case 400, 404, 405, 413 -> "bad_request_error";
            case 401, 403 -> "authorized_error";
            case 402 -> "insufficient_balance_error";
            case 422 -> "unprocessable_entity_error";
            case 429 -> "rate_limit_error";
            case 503 -> "overloaded_error";
            default -> "server_error";
        };
    }
}

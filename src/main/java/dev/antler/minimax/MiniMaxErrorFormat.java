package dev.antler.minimax;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MiniMax V1's error shape: {@code {"base_resp": {"status_code": <code>, "status_msg": "..."}}} (with the request's
 * id beside it). MiniMax itself answers such errors with HTTP 200; the gateway answers with the error's own status
 * (400 for a bad field, 401, 429, ...) and this body: a client that reads {@code base_resp} as MiniMax's docs show
 * finds the code and message, and one that checks the status sees the failure (a 200 would read as a success to
 * every generic client and to the gateway's own logs). The codes are MiniMax's:
 * <pre>
 *   400, 404, 405, 413, 422 → 2013 (invalid parameters)   401, 403 → 1004 (authentication failed)
 *   the caller's balance    → 1008 (insufficient balance)  429      → 1002 (rate limit)
 *   504                     → 1001 (timeout)               other    → 1000 (unknown error)
 * </pre>
 */
final class MiniMaxErrorFormat implements ErrorFormat {

    static final MiniMaxErrorFormat INSTANCE = new MiniMaxErrorFormat();

    private MiniMaxErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(body(statusCode(error), error.getMessage(), requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An answer already in this shape: a {@code base_resp} with a non-zero integer {@code status_code}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode code = Json.MAPPER.readTree(json).path("base_resp").path("status_code");
            return code.isIntegralNumber() && code.asInt() != 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ObjectNode body(int statusCode, String message, String requestId) {
        ObjectNode root = Json.object();
        ObjectNode base = root.putObject("base_resp");
        base.put("status_code", statusCode);
        base.put("status_msg", message);
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return root;
    }

    static int statusCode(GatewayException error) {
        if ("insufficient_quota".equals(error.code())) {
            return MiniMaxCodes.NO_BALANCE;
        }
        return switch (error.status()) {
            case 400, 404, 405, 413, 422 -> MiniMaxCodes.INVALID_PARAMS;
            case 401, 403 -> MiniMaxCodes.AUTH_FAILED;
            case 402 -> MiniMaxCodes.NO_BALANCE;
            case 429 -> MiniMaxCodes.RATE_LIMIT;
            case 504 -> MiniMaxCodes.TIMEOUT;
            default -> MiniMaxCodes.UNKNOWN;
        };
    }
}

package dev.antler.kling;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kling's envelope: {@code {"code": <service code>, "message": "...", "request_id": "...", "data": null}}. The
 * gateway's errors take the service code Kling documents for their HTTP status:
 * <pre>
 *   400, 413, 422 → 1201 (invalid request parameters)   401 → 1000 (authentication failed)
 *   402           → 1101 (account in arrears)            403 → 1103 (unauthorized access; the gateway's
 *                                                                    insufficient balance: 1101)
 *   404           → 1203 (requested resource not found)  405 → 1202 (invalid request method)
 *   429           → 1302 (rate limit)                    503 → 5001 (service unavailable)
 *   504           → 5002 (server timeout)                other → 5000 (internal server error)
 * </pre>
 * Kling does not stream; a failure after a stream started (never) would be the same object.
 */
final class KlingErrorFormat implements ErrorFormat {

    static final KlingErrorFormat INSTANCE = new KlingErrorFormat();

    private KlingErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        root.put("code", serviceCode(error));
        root.put("message", error.getMessage());
        root.put("request_id", requestId);
        root.putNull("data");
        return Buffer.buffer(Json.bytes(root));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An upstream error already in Kling's envelope: a non-zero integer {@code code} and a {@code message}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return root.isObject() && root.path("code").isIntegralNumber() && root.path("code").asInt() != 0
                    && root.path("message").isString();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static int serviceCode(GatewayException error) {
        if ("insufficient_quota".equals(error.code())) {
            return 1101;
        }
        return switch (error.status()) {
            case 400, 413, 422 -> 1201;
            case 401 -> 1000;
            case 402 -> 1101;
            case 403 -> 1103;
            case 404 -> 1203;
            case 405 -> 1202;
            case 429 -> 1302;
            case 503 -> 5001;
            case 504 -> 5002;
            default -> 5000;
        };
    }
}

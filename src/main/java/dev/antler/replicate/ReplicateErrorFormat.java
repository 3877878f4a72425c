package dev.antler.replicate;

import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replicate's errors: RFC 7807 problem details, {@code {"title": ..., "detail": ..., "status": <http status>}} (what
 * Replicate's clients read into {@code ReplicateError}). The detail ends with the request's id, so users can quote
 * it. Replicate does not stream predictions through this API; a failure after a stream began (never) is the same.
 */
final class ReplicateErrorFormat implements ErrorFormat {

    static final ReplicateErrorFormat INSTANCE = new ReplicateErrorFormat();

    private ReplicateErrorFormat() {}

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(problem(error.status(), title(error),
                error.getMessage() + " (request id: " + requestId + ")")));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId);
    }

    /** An upstream body already in this shape: an object with a string {@code title} or {@code detail}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            return root.isObject() && (root.path("title").isString() || root.path("detail").isString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ObjectNode problem(int status, String title, String detail) {
        ObjectNode root = Json.object();
        root.put("title", title);
        root.put("detail", detail);
        root.put("status", status);
        return root;
    }

    /** Replicate's own words for each kind of failure. */
    static String title(GatewayException error) {
        if ("insufficient_quota".equals(error.code())) {
            return "Insufficient credit";
        }
        return switch (error.status()) {
            case 400 -> "Bad request";
            case 401 -> "Unauthenticated";
            case 402 -> "Insufficient credit";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Request too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Input validation failed";
            case 429 -> "Request was throttled";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> error.status() >= 500 ? "Internal server error" : "Request failed";
        };
    }
}

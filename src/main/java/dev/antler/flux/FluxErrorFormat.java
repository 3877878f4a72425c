package dev.antler.flux;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * BFL's error shape, FastAPI's: {@code {"detail": "<message>"}}, and for a field that fails validation (422)
 * {@code {"detail": [{"loc": ["body", "<field>"], "msg": "<message>", "type": "value_error"}]}}, which BFL's
 * clients read either way; the gateway adds {@code code} (stable, machine-readable) and {@code request_id} beside it.
 */
final class FluxErrorFormat implements ErrorFormat {

    static final FluxErrorFormat INSTANCE = new FluxErrorFormat();

    /** A field of the request that fails validation: a 422 naming it, where FastAPI puts it. */
    static final class FieldError extends GatewayException {

        private static final long serialVersionUID = 1L;
        private final String where;
        private final String field;

        FieldError(String where, String field, String message) {
            super(422, ErrorKind.INVALID_REQUEST, "invalid_request", message);
            this.where = where;
            this.field = field;
        }
    }

    private FluxErrorFormat() {}

    /** {@code field} of the body is {@code value}, not what is {@code expected}: 422. */
    static FieldError invalid(String field, Object value, String expected) {
        return invalid("body", field, value, expected);
    }

    /** {@code field} of {@code where} ({@code body} or {@code query}) is {@code value}, not what is {@code expected}. */
    static FieldError invalid(String where, String field, Object value, String expected) {
        String shown = value instanceof JsonNode node ? (node.isMissingNode() ? "(missing)" : node.toString())
                : String.valueOf(value);
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return new FieldError(where, field, field + ": " + shown + " (expected: " + expected + ")");
    }

    @Override
    public Buffer render(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        if (error instanceof FieldError field) {
            ObjectNode item = root.putArray("detail").addObject();
            item.putArray("loc").add(field.where).add(field.field);
            item.put("msg", error.getMessage());
            item.put("type", "value_error");
        } else {
            root.put("detail", error.getMessage());
        }
        root.put("code", error.code());
        root.put("request_id", requestId);
        return Buffer.buffer(Json.bytes(root));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return render(error, requestId); // BFL does not stream
    }

    /** An upstream error already in BFL's shape: an object with a {@code detail}. */
    @Override
    public boolean isOwnEnvelope(String json) {
        JsonNode root = Json.objectOrNull(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return root != null && root.has("detail");
    }
}

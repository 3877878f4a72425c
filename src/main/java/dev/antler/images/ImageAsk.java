package dev.antler.images;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.RequestBody;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An OpenAI {@code POST /v1/images/generations} body as another image family reads it: the fields every family can
 * translate. The family's own checks (sizes, counts) follow in its own operation, on the request it is given.
 *
 * @param size           {@code WxH}, or null when not given
 * @param responseFormat {@code url} (the default) or {@code b64_json}
 * @param quality        OpenAI's {@code quality}, or null
 * @param style          OpenAI's {@code style}, or null
 */
public record ImageAsk(String model, String prompt, int n, String size, String responseFormat, String quality,
                       String style) {

    static final int MAX_IMAGES = 10;
    private static final Set<String> FORMATS = Set.of("url", "b64_json");

    /** The model the body names, or null: read before the body is checked, to choose the family. */
    static String modelOf(RequestBody body) {
        JsonNode root = root(body);
        return root != null && root.path("model").isString() ? root.path("model").asString() : null;
    }

    /** The checked body: a 400 naming the field when it is not one any family could take. */
    public static ImageAsk read(RequestBody body) {
        JsonNode root = root(body);
        if (root == null || !root.isObject()) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: {\"model\": ..., "
                    + "\"prompt\": \"...\"})");
        }
        String prompt = root.path("prompt").asString("");
        if (prompt.isBlank()) {
            throw GatewayException.badRequest("missing_prompt", "prompt: missing (expected: a text description of "
                    + "the image)");
        }
        int n = root.path("n").isMissingNode() || root.path("n").isNull() ? 1 : root.path("n").asInt(0);
        if (!root.path("n").isMissingNode() && !root.path("n").isNull() && !root.path("n").isIntegralNumber()
                || n < 1 || n > MAX_IMAGES) {
            throw GatewayException.badRequest("invalid_n", "n: " + root.path("n") + " (expected: 1 to " + MAX_IMAGES
                    + ")");
        }
        String size = text(root, "size");
        if (size != null && !size.matches("\\d{2,5}x\\d{2,5}")) {
            throw GatewayException.badRequest("invalid_size", "size: " + size + " (expected: WIDTHxHEIGHT, e.g. "
                    + "1024x1024)");
        }
        String format = text(root, "response_format");
        if (format != null && !FORMATS.contains(format)) {
            throw GatewayException.badRequest("invalid_response_format", "response_format: " + format
                    + " (expected: url or b64_json)");
        }
        return new ImageAsk(root.path("model").asString(""), prompt, n, size, format == null ? "url" : format,
                text(root, "quality"), text(root, "style"));
    }

    public boolean base64() {
        return "b64_json".equals(responseFormat);
    }

    /** The width over the height of {@code size}; null when no size was given. */
    public int[] dimensions() {
        if (size == null) {
            return null;
        }
        String[] parts = size.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }

    private static JsonNode root(RequestBody body) {
        if (!(body instanceof RequestBody.InMemory memory)) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(memory.bytes());
        } catch (RuntimeException e) {
            return null;
        }
    }
}

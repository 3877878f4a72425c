package dev.antler.videogen;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.RequestBody;
import dev.antler.tasks.GenericVideo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads new-api's generic video body — {@code {model, prompt, image?, duration?, size?|width+height, fps?, seed?,
 * metadata{…}}} — checking each field's shape (a 400 naming it); what a value may be is the family's to check.
 */
final class GenericInput {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})[x*](\\d{1,5})");

    private GenericInput() {}

    static GenericVideo read(RequestBody body) {
        JsonNode root = null;
        if (body instanceof RequestBody.InMemory memory) {
            try {
                root = Json.MAPPER.readTree(memory.bytes());
            } catch (RuntimeException e) {
                root = null;
            }
        }
        if (root == null || !root.isObject()) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: {\"model\": "
                    + "\"sora-2\", \"prompt\": \"...\", \"duration\": 4})");
        }
        String model = text(root, "model");
        if (model == null) {
            throw bad("model", root.path("model"), "a video model, e.g. sora-2 or kling-v1");
        }
        Integer width = positive(root, "width");
        Integer height = positive(root, "height");
        String size = text(root, "size");
        if (size != null) {
            Matcher m = SIZE.matcher(size.trim());
            if (!m.matches() || Integer.parseInt(m.group(1)) == 0 || Integer.parseInt(m.group(2)) == 0) {
                throw bad("size", root.path("size"), "WIDTHxHEIGHT, e.g. 1280x720");
            }
            width = Integer.parseInt(m.group(1));
            height = Integer.parseInt(m.group(2));
        } else if ((width == null) != (height == null)) {
            throw bad(width == null ? "width" : "height", root.path(width == null ? "width" : "height"),
                    "width and height together, or size");
        }
        JsonNode seed = root.path("seed");
        if (!absent(seed) && !seed.isIntegralNumber()) {
            throw bad("seed", seed, "an integer");
        }
        JsonNode metadata = root.path("metadata");
        if (!absent(metadata) && !metadata.isObject()) {
            throw bad("metadata", metadata, "an object of provider-specific fields");
        }
        return new GenericVideo(model, text(root, "prompt"), text(root, "image"), duration(root), width, height,
                positive(root, "fps"), absent(seed) ? null : seed.asLong(),
                absent(metadata) ? Json.object() : ((ObjectNode) metadata).deepCopy());
    }

    /** {@code duration} as text: a whole number or a string of one (the family says which are allowed). */
    private static String duration(JsonNode root) {
        JsonNode value = root.path("duration");
        if (absent(value)) {
            return null;
        }
        if (value.isIntegralNumber() || (value.isString() && !value.asString().isBlank())) {
            return value.asString().trim();
        }
        if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
            return Long.toString((long) value.asDouble());
        }
        throw bad("duration", value, "a whole number of seconds");
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw bad(field, value, "a non-empty string");
        }
        return value.asString();
    }

    private static Integer positive(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 100_000) {
            throw bad(field, value, "a positive whole number");
        }
        return value.asInt();
    }

    private static boolean absent(JsonNode value) {
        return value.isMissingNode() || value.isNull();
    }

    static GatewayException bad(String field, JsonNode value, String expected) {
        String shown = value.isMissingNode() ? "(missing)" : value.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return GatewayException.badRequest("invalid_request", field + ": " + shown + " (expected: " + expected + ")");
    }
}

package dev.antler.luma;

import dev.antler.core.GatewayException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads one field of a Luma body, or answers a 400 naming it and what it may be. */
final class LumaFields {

    private LumaFields() {}

    /** A non-blank string; null when absent and not {@code required}. */
    static String text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        if ((value.isMissingNode() || value.isNull()) && !required) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw bad(field, value, required ? "a non-empty string (required)" : "a non-empty string");
        }
        return value.asString();
    }

    /** One of {@code allowed}; {@code fallback} when absent. */
    static String oneOf(ObjectNode body, String field, List<String> allowed, String fallback) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isString() || !allowed.contains(value.asString())) {
            throw bad(field, value, "one of " + String.join(", ", allowed));
        }
        return value.asString();
    }

    /** A boolean, or null when absent. */
    static Boolean bool(ObjectNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw bad(field, value, "true or false");
        }
        return value.asBoolean();
    }

    /** An image's http(s) URL (Luma fetches images by URL only), or null when absent. */
    static String url(ObjectNode body, String field) {
        return url(body, field, field, "an http(s) URL of an image; Luma's API takes no base64");
    }

    /** An http(s) URL at {@code field} of {@code body}, named {@code shown} in a refusal; null when absent. */
    static String url(ObjectNode body, String field, String shown, String expected) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isString() || !value.asString().matches("(?i)https?://\\S+")) {
            String text = value.isString() ? value.asString() : value.toString();
            throw bad(shown, text.length() > 40 ? text.substring(0, 40) + "..." : text, expected);
        }
        return value.asString();
    }

    static GatewayException bad(String field, Object value, String expected) {
        String shown = value instanceof JsonNode node ? (node.isMissingNode() ? "(missing)" : node.toString())
                : String.valueOf(value);
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return GatewayException.badRequest("invalid_request", field + ": " + shown + " (expected: " + expected + ")");
    }
}

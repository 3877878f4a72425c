package dev.antler.suno;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.net.URI;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks of one JSON object's fields; each failure is a 400 that names the field (with its path, e.g.
 * {@code gen_params.prompt}) and what was expected. A field that is absent or JSON {@code null} counts as
 * not given.
 */
final class SunoInput {

    /** Upstream ids (tasks, clips): letters, digits, '-' and '_'; they go into upstream paths as they are. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final ObjectNode node;
    private final String prefix;

    SunoInput(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** The request body as a JSON object, or 400 {@code invalid_json}. */
    static ObjectNode parse(byte[] body) {
        ObjectNode object = Json.objectOrNull(body);
        if (object == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: a JSON object such as"
                    + " {\"gpt_description_prompt\": \"a song about the sea\"})");
        }
        return object;
    }

    /** Whether {@code value} is a plain id, fit for an upstream path. */
    static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** An id given in a path or field ({@code name} for the message), checked to be a plain id. */
    static String id(String name, String value) {
        if (!isId(value)) {
            throw GatewayException.badRequest("invalid_" + leaf(name), name + ": " + shown(value)
                    + " (expected: an id of letters, digits and '-')");
        }
        return value;
    }

    /** A string field, or null when not given (an empty string is returned as given). */
    String text(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw invalid(field, value, "a string");
        }
        return value.asString();
    }

    /** A string field that must be present and not blank; else 400 {@code code}. */
    String requireText(String field, String code, String expected) {
        String text = text(field);
        if (text == null || text.isBlank()) {
            throw GatewayException.badRequest(code, prefix + field + ": " + (text == null ? "missing" : "\"" + text + "\"")
                    + " (expected: " + expected + ")");
        }
        return text;
    }

    /** True when the field is a non-blank string. */
    boolean hasText(String field) {
        String text = text(field);
        return text != null && !text.isBlank();
    }

    /** A plain id field (see {@link #id}), or null when not given or empty. */
    String id(String field) {
        String text = text(field);
        return text == null || text.isEmpty() ? null : id(prefix + field, text);
    }

    Boolean bool(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(field, value, "true or false");
        }
        return value.asBoolean();
    }

    /** A number field of at least {@code min}, or null when not given. */
    Double number(String field, double min, String expected) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() < min || !Double.isFinite(value.asDouble())) {
            throw invalid(field, value, expected);
        }
        return value.asDouble();
    }

    /** An absolute http(s) URL field; null when not given and not {@code required}. */
    String url(String field, boolean required, String expected) {
        String text = required ? requireText(field, "missing_" + field, expected) : text(field);
        if (text == null || text.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw GatewayException.badRequest("invalid_" + field, prefix + field + ": " + shown(text)
                    + " (expected: " + expected + ")");
        }
        return text.strip();
    }

    /** A nested object's fields; 400 when it is required and missing, or not an object. */
    SunoInput object(String field, boolean required, String expected) {
        JsonNode value = value(field);
        if (value == null) {
            if (required) {
                throw GatewayException.badRequest("missing_" + field, prefix + field + ": missing (expected: " + expected + ")");
            }
            return new SunoInput(Json.object(), prefix + field + ".");
        }
        if (!(value instanceof ObjectNode object)) {
            throw invalid(field, value, expected);
        }
        return new SunoInput(object, prefix + field + ".");
    }

    private JsonNode value(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private GatewayException invalid(String field, JsonNode value, String expected) {
        return GatewayException.badRequest("invalid_" + field, prefix + field + ": " + shown(value.toString())
                + " (expected: " + expected + ")");
    }

    private static String leaf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String shown(String value) {
        if (value == null) {
            return "missing";
        }
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}

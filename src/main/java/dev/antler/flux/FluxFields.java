package dev.antler.flux;

import static dev.antler.flux.FluxErrorFormat.invalid;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Checks of single body fields; a field present but not as expected is a 422 naming it ({@link FluxErrorFormat}). */
final class FluxFields {

    private FluxFields() {}

    /** A non-blank string; null when absent (null) and not {@code required}. */
    static String text(ObjectNode body, String field, boolean required) {
        JsonNode value = body.path(field);
        if (!present(value) && !required) {
            return null;
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw invalid(field, value, required ? "a non-empty string (required)" : "a non-empty string");
        }
        return value.asString();
    }

    static void integer(ObjectNode body, String field, long min, long max) {
        JsonNode value = body.path(field);
        if (present(value) && (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min
                || value.asLong() > max)) {
            throw invalid(field, value, min == Long.MIN_VALUE ? "an integer" : "an integer from " + min + " to " + max);
        }
    }

    static void number(ObjectNode body, String field, double min, double max) {
        JsonNode value = body.path(field);
        if (present(value) && (!value.isNumber() || value.asDouble() < min || value.asDouble() > max)) {
            throw invalid(field, value, "a number from " + min + " to " + max);
        }
    }

    static void bool(ObjectNode body, String field) {
        JsonNode value = body.path(field);
        if (present(value) && !value.isBoolean()) {
            throw invalid(field, value, "true or false");
        }
    }

    static boolean present(JsonNode value) {
        return !value.isMissingNode() && !value.isNull();
    }
}

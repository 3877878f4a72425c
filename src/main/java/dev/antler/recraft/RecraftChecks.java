package dev.antler.recraft;

import dev.antler.core.GatewayException;
import java.util.Collection;

/**
 * The 400s of the Recraft checks. Every message names the field, the value and what was expected:
 * {@code n: 9 (expected: an integer from 1 to 6)}.
 */
final class RecraftChecks {

    private RecraftChecks() {}

    static GatewayException missing(String field, String expected) {
        return GatewayException.badRequest("missing_" + field,
                field + ": missing or empty (expected: " + expected + ")");
    }

    static GatewayException invalid(String field, String value, String expected) {
        return GatewayException.badRequest("invalid_" + field, field + ": " + value + " (expected: " + expected + ")");
    }

    static String oneOf(Collection<String> values) {
        return "one of " + String.join(", ", values);
    }

    static String quote(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return "\"" + shown.replace("\"", "\\\"") + "\"";
    }

    /** A whole number in {@code [min, max]} given as text; {@code fallback} when absent. */
    static long integer(String field, String value, long min, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(field, quote(value), "an integer from " + min + " to " + max);
    }

    /** A number in {@code [min, max]} given as text. */
    static double number(String field, String value, double min, double max) {
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(field, quote(value), "a number from " + min + " to " + max);
    }
}

package dev.antler.ideogram;

import dev.antler.core.GatewayException;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Field checks shared by the Ideogram endpoints. Every failure is a 400 whose message names the field,
 * the value and what was expected: {@code num_images: 9 (expected: an integer from 1 to 8)}.
 */
final class Checks {

    static final long MAX_SEED = 2_147_483_647L;
    static final long MAX_IMAGES = 8;

    private Checks() {}

    static GatewayException missing(String field, String expected) {
        return GatewayException.badRequest("missing_" + leaf(field), field + ": missing or empty (expected: "
                + expected + ")");
    }

    static GatewayException invalid(String field, String value, String expected) {
        return GatewayException.badRequest("invalid_" + leaf(field), field + ": " + value + " (expected: "
                + expected + ")");
    }

    /** {@code value} if it is one of {@code allowed}, null if absent. */
    static String oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw invalid(field, quote(value), IdeogramEnums.describe(allowed));
        }
        return value;
    }

    /** A form field holding an integer in {@code [min, max]}; {@code fallback} if absent. */
    static long integer(String field, String value, long min, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        String trimmed = value.strip();
        try {
            long parsed = Long.parseLong(trimmed);
            if (parsed >= min && parsed <= max && trimmed.equals(value)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(field, quote(value), range(min, max));
    }

    /** A JSON field holding an integer in {@code [min, max]}; {@code fallback} if absent. */
    static long integer(String field, JsonNode node, long min, long max, long fallback) {
        if (node == null || node.isMissingNode()) {
            return fallback;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= min && node.longValue() <= max) {
            return node.longValue();
        }
        throw invalid(field, node.toString(), range(min, max));
    }

    /** A JSON field that must be a string if present; null if absent. */
    static String text(String field, JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (!node.isString()) {
            throw invalid(field, node.toString(), "a string");
        }
        return node.stringValue();
    }

    private static String range(long min, long max) {
        return "an integer from " + min + " to " + max;
    }

    static String quote(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return "\"" + shown.replace("\"", "\\\"") + "\"";
    }

    private static String leaf(String field) {
        String name = field.substring(field.lastIndexOf('.') + 1);
        return name.replace("[]", "");
    }
}

package dev.antler.runway;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import tools.jackson.databind.JsonNode;

/**
 * A 400 about one field of a request, its message {@code field: value (expected: ...)}; Runway's error shape lists
 * the field as the issue's {@code path} ({@link RunwayErrorFormat}).
 */
final class BadField extends GatewayException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 80;

    private final String field;
    private final String issue;

    private BadField(String field, String issue, String message) {
        super(400, ErrorKind.INVALID_REQUEST, "invalid_request", message);
        this.field = field;
        this.issue = issue;
    }

    /** {@code field} has {@code value} where {@code expected} was wanted. */
    static BadField of(String field, Object value, String expected) {
        boolean missing = value instanceof JsonNode node && (node.isMissingNode() || node.isNull());
        String shown = value instanceof JsonNode node ? (node.isMissingNode() ? "(missing)" : node.toString())
                : String.valueOf(value);
        if (shown.length() > SHOWN) {
            shown = shown.substring(0, SHOWN) + "...";
        }
        return new BadField(field, missing ? "invalid_type" : "invalid_value",
                field + ": " + shown + " (expected: " + expected + ")");
    }

    /** {@code field} is longer than {@code max}. */
    static BadField tooLong(String field, int length, int max) {
        return new BadField(field, "too_big", field + ": " + length + " characters (expected: at most " + max
                + " characters)");
    }

    /** The field's path, e.g. {@code promptImage[1].position}. */
    String field() {
        return field;
    }

    /** The kind of problem, in Runway's words: invalid_type, invalid_value or too_big. */
    String issue() {
        return issue;
    }
}

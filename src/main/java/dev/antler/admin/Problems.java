package dev.antler.admin;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;

/** The admin API's error answers, each with a message of the form {@code name: value (expected: ...)}. */
public final class Problems {

    private static final int MAX_SHOWN = 120;

    private Problems() {}

    public static GatewayException invalid(String name, String shownValue, String expected) {
        return GatewayException.badRequest("invalid_field",
                name + ": " + clip(shownValue) + " (expected: " + expected + ")");
    }

    public static GatewayException notFound(String name, Object value, String expected) {
        return GatewayException.notFound("not_found", name + ": " + clip(String.valueOf(value))
                + " (expected: " + expected + ")");
    }

    public static GatewayException conflict(String name, String value, String expected) {
        return new GatewayException(409, ErrorKind.INVALID_REQUEST, "conflict",
                name + ": " + clip(value) + " (expected: " + expected + ")");
    }

    private static String clip(String value) {
        return value.length() <= MAX_SHOWN ? value : value.substring(0, MAX_SHOWN) + "…";
    }
}

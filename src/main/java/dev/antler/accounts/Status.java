package dev.antler.accounts;

import java.util.Locale;

/** Whether a user, key or channel may be used. */
public enum Status {
    ACTIVE,
    DISABLED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "active", "enabled" -> ACTIVE;
            case "disabled" -> DISABLED;
            default -> throw new IllegalArgumentException("status: " + value + " (expected: active or disabled)");
        };
    }
}

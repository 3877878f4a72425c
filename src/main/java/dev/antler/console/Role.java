package dev.antler.console;

import java.util.Locale;

/** What a console session may do: the admin API ({@code ADMIN}) or only its own user's API ({@code USER}). */
public enum Role {
    ADMIN, USER;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role of(String dbValue) {
        return valueOf(dbValue.toUpperCase(Locale.ROOT));
    }
}

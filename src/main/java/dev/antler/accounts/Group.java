package dev.antler.accounts;

/** A user group; prices for its members are multiplied by {@code multiplierPpm / 1e6}. */
public record Group(String name, long multiplierPpm, String description) {

    public static final long PPM = 1_000_000L;
    public static final String DEFAULT = "default";

    public static Group defaultGroup() {
        return new Group(DEFAULT, PPM, "default group");
    }
}

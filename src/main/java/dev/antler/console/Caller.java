package dev.antler.console;

/**
 * Who an admin or console request comes from, once admitted.
 *
 * @param kind      how the caller proved who they are
 * @param userId    the signed-in user, or null for the admin key (as a Bearer key or signed in with it)
 * @param sessionId the hash of the session's id, or null for a Bearer key
 */
public record Caller(Kind kind, Long userId, String sessionId) {

    public enum Kind {
        /** {@code Authorization: Bearer <admin key>} on the request itself. */
        ADMIN_KEY,
        /** A console session opened with the admin key. */
        ADMIN_SESSION,
        /** A console session of a user marked admin. */
        ADMIN_USER,
        /** A console session of a user. */
        USER
    }

    public static final Caller ADMIN_KEY = new Caller(Kind.ADMIN_KEY, null, null);

    public boolean admin() {
        return kind != Kind.USER;
    }

    /** For audit rows: {@code admin_key} or {@code user:<id>}. */
    public String who() {
        return userId == null ? "admin_key" : "user:" + userId;
    }
}

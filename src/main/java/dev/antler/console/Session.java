package dev.antler.console;

/**
 * A console sign-in as stored: the session id itself is only in the browser's cookie, {@code idHash} is its SHA-256.
 *
 * @param userId null for an admin-key sign-in
 */
public record Session(String idHash, Role role, Long userId, String csrfToken, long createdAt, long lastSeenAt) {

    public Caller caller() {
        Caller.Kind kind = role == Role.USER ? Caller.Kind.USER
                : userId == null ? Caller.Kind.ADMIN_SESSION : Caller.Kind.ADMIN_USER;
        return new Caller(kind, userId, idHash);
    }
}

package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.ApiKeys;
import dev.antler.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Console sessions in the store, so they survive a restart and work on every instance sharing it. A session
 * ends when unused for the idle time or past the absolute time after sign-in. Blocking: call off the event loop.
 */
public final class SessionStore {

    /** A session's last use is written at most this often, not on every request. */
    static final long TOUCH_EVERY_MS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id_hash, role, user_id, csrf_token, created_at, last_seen_at";

    private final Jdbi jdbi;
    private final Clock clock;
    private final long idleMs;
    private final long absoluteMs;

    public SessionStore(Database database, Clock clock, Duration idle, Duration absolute) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
        this.idleMs = idle.toMillis();
        this.absoluteMs = absolute.toMillis();
    }

    /** A new session and the plain id for its cookie (shown once, stored hashed). */
    public record Started(String id, Session session) {}

    public Started start(Role role, Long userId) {
        String id = token();
        long now = clock.millis();
        Session session = new Session(ApiKeys.hash(id), role, userId, token(), now, now);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO console_sessions (" + COLUMNS
                        + ") VALUES (:hash, :role, :user, :csrf, :now, :now)")
                .bind("hash", session.idHash()).bind("role", role.dbValue()).bind("user", userId)
                .bind("csrf", session.csrfToken()).bind("now", now).execute());
        return new Started(id, session);
    }

    /** The live session with this plain id; an expired one is deleted and not returned. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(id);
        Optional<Session> found = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM console_sessions WHERE id_hash = :hash").bind("hash", hash)
                .map((rs, ctx) -> new Session(rs.getString(1), Role.of(rs.getString(2)),
                        rs.getObject(3) == null ? null : rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6)))
                .findOne());
        if (found.isEmpty()) {
            return found;
        }
        Session session = found.get();
        long now = clock.millis();
        if (now - session.lastSeenAt() >= idleMs || now - session.createdAt() >= absoluteMs) {
            endByHash(hash);
            return Optional.empty();
        }
        if (now - session.lastSeenAt() >= TOUCH_EVERY_MS) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE console_sessions SET last_seen_at = :now WHERE id_hash = :hash")
                    .bind("now", now).bind("hash", hash).execute());
        }
        return found;
    }

    /** When the session ends regardless of use, epoch milliseconds. */
    public long absoluteEnd(Session session) {
        return session.createdAt() + absoluteMs;
    }

    public long absoluteSeconds() {
        return absoluteMs / 1000;
    }

    public void end(String id) {
        if (id != null && !id.isEmpty() && id.length() <= 128) {
            endByHash(ApiKeys.hash(id));
        }
    }

    public void endByHash(String hash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE id_hash = :hash")
                .bind("hash", hash).execute());
    }

    /** Ends every session of a user: their password changed, or they were disabled or lost the admin mark. */
    public int endForUser(long userId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE user_id = :user")
                .bind("user", userId).execute());
    }

    /** Ends a user's sessions except {@code keptHash} (the one changing the password). */
    public int endOthers(long userId, String keptHash) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE user_id = :user AND id_hash <> :kept")
                .bind("user", userId).bind("kept", keptHash).execute());
    }

    /** Deletes sessions past their idle or absolute end; returns how many. */
    public int purgeExpired() {
        long now = clock.millis();
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM console_sessions WHERE last_seen_at <= :idle OR created_at <= :absolute")
                .bind("idle", now - idleMs).bind("absolute", now - absoluteMs).execute());
    }

    /** 256 random bits, URL-safe base64 without padding (43 characters). */
    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

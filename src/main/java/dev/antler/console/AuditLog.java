package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Rows of what admins did through the admin API. Blocking: call off the event loop. */
public final class AuditLog {

    private final Jdbi jdbi;
    private final Clock clock;

    public AuditLog(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * @param actor  {@code admin_key} or {@code user:<id>}
     * @param action the method and endpoint pattern, such as {@code PATCH users/{id}}
     * @param target the path's parameters (an id, a name), or null
     */
    public record Entry(long id, long createdAt, String actor, String action, String target, int status,
                        String requestId) {}

    public void record(String actor, String action, String target, int status, String requestId) {
        String clipped = target == null || target.length() <= 191 ? target : target.substring(0, 191);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_log (created_at, actor, action, target, status_code, "
                        + "request_id) VALUES (:now, :actor, :action, :target, :status, :request)")
                .bind("now", clock.millis()).bind("actor", actor).bind("action", action).bind("target", clipped)
                .bind("status", status).bind("request", requestId).execute());
    }

    /** Newest first, ids below {@code beforeId} (null: from the newest). */
    public List<Entry> page(Long beforeId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, created_at, actor, action, target, status_code, request_id "
                        + "FROM audit_log" + (beforeId == null ? "" : " WHERE id < :before") + " ORDER BY id DESC LIMIT :limit")
                .bind("before", beforeId).bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getString(7))).list());
    }
}

package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/** The {@code tasks} table. Status changes are compare-and-sets on the stored status. */
public final class TaskStore {

    private static final String COLUMNS = "id, public_id, family, action, mode, user_id, key_id, channel_id, "
            + "upstream_id, status, progress, fail_reason, cost_nanos, unit_nanos, units, charge_state, refund_state, "
            + "settle_state, notify_hook, request, payload, submitted_at, started_at, finished_at, updated_at, deleted_at";

    private final Database database;

    public TaskStore(Database database) {
        this.database = requireNonNull(database, "database");
    }

    /** Inserts a new task (its id is ignored) and returns it as stored. */
    public Task insert(Task t) {
        return database.jdbi().withHandle(h -> {
            h.createUpdate("INSERT INTO tasks (public_id, family, action, mode, user_id, key_id, channel_id, "
                            + "upstream_id, status, progress, fail_reason, cost_nanos, unit_nanos, units, charge_state, "
                            + "refund_state, settle_state, notify_hook, request, payload, submitted_at, started_at, "
                            + "finished_at, updated_at) VALUES "
                            + "(:publicId, :family, :action, :mode, :userId, :keyId, :channelId, :upstreamId, :status, "
                            + ":progress, :failReason, :costNanos, :unitNanos, :units, :chargeState, :refundState, "
                            + ":settleState, :notifyHook, :request, :payload, :submittedAt, :startedAt, :finishedAt, "
                            + ":updatedAt)")
                    .bindMethods(t)
                    .bindMethods(t.charge())
                    .bind("status", t.status().name())
                    .execute();
            return find(h, t.publicId()).orElseThrow();
        });
    }

    public Optional<Task> find(String publicId) {
        return database.jdbi().withHandle(h -> find(h, publicId));
    }

    public Optional<Task> find(long id) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tasks WHERE id = :id")
                .bind("id", id).map(TaskStore::map).findOne());
    }

    private static Optional<Task> find(Handle h, String publicId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM tasks WHERE public_id = :p")
                .bind("p", publicId).map(TaskStore::map).findOne();
    }

    /** The task of {@code family} tracking upstream task {@code upstreamId} on a channel, oldest first. */
    public List<Task> findByUpstream(String family, long channelId, String upstreamId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tasks WHERE channel_id = :c "
                        + "AND upstream_id = :u AND family = :f ORDER BY id")
                .bind("c", channelId).bind("u", upstreamId).bind("f", family).map(TaskStore::map).list());
    }

    /** Unfinished tasks, oldest first. */
    public List<Task> unfinished(int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM tasks WHERE finished_at IS NULL ORDER BY id LIMIT :limit")
                .bind("limit", limit).map(TaskStore::map).list());
    }

    /** Unfinished tasks submitted before {@code cutoff}. */
    public List<Task> unfinishedBefore(long cutoff, int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM tasks WHERE finished_at IS NULL AND submitted_at < :cutoff ORDER BY id LIMIT :limit")
                .bind("cutoff", cutoff).bind("limit", limit).map(TaskStore::map).list());
    }

    /** Tasks whose charge was queued but never committed (the process stopped in between). */
    public List<Task> chargesPending() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM tasks WHERE charge_state = 'pending' ORDER BY id").map(TaskStore::map).list());
    }

    /** One user's tasks with ids below {@code beforeId} (null: from the newest), newest first: keyset paging. */
    public List<Task> pageForUser(long userId, String family, String status, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE user_id = :userId");
        java.util.Map<String, Object> bindings = new java.util.LinkedHashMap<>();
        bindings.put("userId", userId);
        if (family != null) {
            sql.append(" AND family = :family");
            bindings.put("family", family);
        }
        if (status != null) {
            sql.append(" AND status = :status");
            bindings.put("status", status);
        }
        if (beforeId != null) {
            sql.append(" AND id < :beforeId");
            bindings.put("beforeId", beforeId);
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        bindings.put("limit", limit);
        return database.jdbi().withHandle(h -> h.createQuery(sql.toString()).bindMap(bindings)
                .map(TaskStore::map).list());
    }

    /** Newest first, optionally filtered; for the admin API. */
    public List<Task> list(Long userId, String family, String status, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE 1 = 1");
        if (userId != null) {
            sql.append(" AND user_id = :userId");
        }
        if (family != null) {
            sql.append(" AND family = :family");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit OFFSET :offset");
        return database.jdbi().withHandle(h -> {
            var query = h.createQuery(sql.toString()).bind("limit", limit).bind("offset", offset);
            if (userId != null) {
                query.bind("userId", userId);
            }
            if (family != null) {
                query.bind("family", family);
            }
            if (status != null) {
                query.bind("status", status);
            }
            return query.map(TaskStore::map).list();
        });
    }

    /** How many tasks there are of one family in one status. */
    public record Count(String family, String status, long tasks) {}

    /** Every task counted by family and status (deleted ones too, as the listing shows them), in that order. */
    public List<Count> countByFamilyAndStatus() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT family, status, COUNT(*) AS tasks FROM tasks"
                        + " GROUP BY family, status ORDER BY family, status")
                .map((rs, ctx) -> new Count(rs.getString("family"), rs.getString("status"), rs.getLong("tasks")))
                .list());
    }

    /**
     * Marks task {@code id} deleted by its owner at {@code now} (its row stays for the books); true if this call
     * did, false if it already was or is unknown.
     */
    public boolean markDeleted(long id, long now) {
        return database.jdbi().withHandle(h -> h.createUpdate("UPDATE tasks SET deleted_at = :now "
                        + "WHERE id = :id AND deleted_at IS NULL")
                .bind("now", now).bind("id", id).execute() == 1);
    }

    /** Applies {@code update} if the stored status is still {@code expected.status()}; true if it did. */
    public boolean compareAndSet(Task expected, TaskUpdate update, long now) {
        return compareAndSet(expected, update, now, Money.NONE);
    }

    /** {@link #compareAndSet} moving {@code money} (no balance change) with the status. */
    boolean compareAndSet(Task expected, TaskUpdate update, long now, Money money) {
        return database.jdbi().withHandle(h -> transition(h, expected, update, now, money));
    }

    /**
     * What a status change does to the task's money, in the same UPDATE: nothing, mark it refunded (its charge
     * committed and not refunded yet), or mark it settled at {@code costNanos} for {@code units} (its charge
     * committed, not refunded, not settled yet).
     */
    record Money(boolean refund, boolean settle, long costNanos, long units) {
        static final Money NONE = new Money(false, false, 0, 0);
        static final Money REFUND = new Money(true, false, 0, 0);

        static Money settle(long costNanos, long units) {
            return new Money(false, true, costNanos, units);
        }
    }

    /** The compare-and-set of {@link #compareAndSet}, run on {@code h}, moving {@code money} with it. */
    static boolean transition(Handle h, Task expected, TaskUpdate update, long now, Money money) {
        String sql = "UPDATE tasks SET status = :status, progress = :progress, fail_reason = :failReason, "
                + "payload = COALESCE(:payload, payload), started_at = COALESCE(started_at, :startedAt), "
                + "finished_at = :finishedAt, updated_at = :now, "
                + "webhook_due = CASE WHEN notify_hook IS NULL OR notify_hook = '' THEN webhook_due ELSE 1 END"
                + (money.refund() ? ", refund_state = 'refunded'" : "")
                + (money.settle() ? ", settle_state = 'settled', cost_nanos = :cost, units = :units" : "")
                + " WHERE id = :id AND status = :expected"
                + (money.refund() || money.settle() ? " AND charge_state = 'charged' AND refund_state = 'none'" : "")
                + (money.settle() ? " AND settle_state = 'open'" : "");
        Update statement = h.createUpdate(sql)
                .bind("status", update.status().name())
                .bind("progress", update.progress())
                .bind("failReason", update.failReason())
                .bind("payload", update.payload())
                .bind("startedAt", update.startedAt())
                .bind("finishedAt", update.status().terminal() ? (Long) now : null)
                .bind("now", now)
                .bind("id", expected.id())
                .bind("expected", expected.status().name());
        if (money.settle()) {
            statement.bind("cost", money.costNanos()).bind("units", money.units());
        }
        return statement.execute() == 1;
    }

    /** Tasks whose latest state their notifyHook has not received yet (a stop came in between). */
    public List<Task> webhooksDue(int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM tasks WHERE webhook_due = 1 ORDER BY id LIMIT :limit")
                .bind("limit", limit).map(TaskStore::map).list());
    }

    /** The hook of {@code task} received (or gave up on) this state; a later change keeps the flag set. */
    public void webhookSettled(Task task) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE tasks SET webhook_due = 0 WHERE id = :id "
                + "AND updated_at = :updatedAt AND status = :status AND COALESCE(progress, '') = :progress")
                .bind("id", task.id()).bind("updatedAt", task.updatedAt()).bind("status", task.status().name())
                .bind("progress", task.progress() == null ? "" : task.progress())
                .execute());
    }

    /** Marks the charge of task {@code id} committed; false if it already was. */
    /** The task's charge is written, under the usage row of {@code requestId} (which the usage summary nets). */
    static boolean markCharged(Handle h, long id, String requestId) {
        return h.createUpdate("UPDATE tasks SET charge_state = 'charged', request_id = :requestId"
                        + " WHERE id = :id AND charge_state = 'pending'")
                .bind("id", id).bind("requestId", requestId).execute() == 1;
    }

    private static Task map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Task(rs.getLong("id"), rs.getString("public_id"), rs.getString("family"), rs.getString("action"),
                rs.getString("mode"), rs.getLong("user_id"), rs.getLong("key_id"), rs.getLong("channel_id"),
                rs.getString("upstream_id"), TaskStatus.valueOf(rs.getString("status")), rs.getString("progress"),
                rs.getString("fail_reason"), new Task.Charge(rs.getLong("cost_nanos"), rs.getLong("unit_nanos"),
                        rs.getLong("units"), rs.getString("charge_state"), rs.getString("refund_state"),
                        rs.getString("settle_state")), rs.getString("notify_hook"), rs.getString("request"),
                rs.getString("payload"), rs.getLong("submitted_at"), nullableLong(rs, "started_at"),
                nullableLong(rs, "finished_at"), rs.getLong("updated_at"),
                nullableLong(rs, "deleted_at"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}

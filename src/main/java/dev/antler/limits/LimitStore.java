package dev.antler.limits;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/** Keys' rate limits and users' daily caps as stored (config file or admin API). Blocking: call off the event loop. */
public final class LimitStore {

    private final Jdbi jdbi;
    private final Clock clock;
    private final String putKeyLimits;
    private final String putDailyCap;

    public LimitStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
        this.putKeyLimits = upsert(database.dialect(), "key_limits", "key_id", "rpm", "tpm", "max_concurrent");
        this.putDailyCap = upsert(database.dialect(), "user_limits", "user_id", "daily_spend_nanos");
    }

    /**
     * One statement that inserts a row or replaces its values: instances starting together on one store seed the
     * same limits at once, and a delete followed by an insert let the second insert fail on the first one's row.
     */
    private static String upsert(Dialect dialect, String table, String key, String... columns) {
        String values = Arrays.stream(columns).map(c -> ":" + c).collect(Collectors.joining(", "));
        String insert = "INSERT INTO " + table + " (" + key + ", " + String.join(", ", columns) + ", updated_at) "
                + "VALUES (:id, " + values + ", :now)";
        return insert + dialect.onConflict(key) + Stream.concat(Arrays.stream(columns), Stream.of("updated_at"))
                .map(c -> c + " = " + dialect.proposed(c)).collect(Collectors.joining(", "));
    }

    public void putKeyLimits(long keyId, KeyLimits limits) {
        if (limits.isNone()) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM key_limits WHERE key_id = :id").bind("id", keyId).execute());
            return;
        }
        jdbi.useHandle(h -> h.createUpdate(putKeyLimits).bind("id", keyId).bind("rpm", limits.rpm())
                .bind("tpm", limits.tpm()).bind("max_concurrent", limits.maxConcurrent()).bind("now", clock.millis())
                .execute());
    }

    public void putDailyCap(long userId, Long capNanos) {
        if (capNanos == null) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM user_limits WHERE user_id = :id").bind("id", userId)
                    .execute());
            return;
        }
        jdbi.useHandle(h -> h.createUpdate(putDailyCap).bind("id", userId).bind("daily_spend_nanos", capNanos)
                .bind("now", clock.millis()).execute());
    }

    public Map<Long, KeyLimits> allKeyLimits() {
        return jdbi.withHandle(h -> {
            Map<Long, KeyLimits> all = new HashMap<>();
            h.createQuery("SELECT key_id, rpm, tpm, max_concurrent FROM key_limits")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), new KeyLimits(integer(rs, 2), number(rs, 3),
                            integer(rs, 4))))
                    .forEach(e -> all.put(e.getKey(), e.getValue()));
            return all;
        });
    }

    public Map<Long, Long> allDailyCaps() {
        return jdbi.withHandle(h -> {
            Map<Long, Long> all = new HashMap<>();
            h.createQuery("SELECT user_id, daily_spend_nanos FROM user_limits")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> all.put(e.getKey(), e.getValue()));
            return all;
        });
    }

    /** The charges of each of {@code userIds} in the usage log since {@code fromMillis} (users without any absent). */
    public Map<Long, Long> spentSince(long fromMillis, Collection<Long> userIds) {
        Map<Long, Long> all = new HashMap<>();
        List<Long> ids = List.copyOf(userIds);
        for (int from = 0; from < ids.size(); from += IN_LIST_MAX) {
            // Numbers only, so the list is written into the SQL; each user is a range of usage_logs_user.
            String in = ids.subList(from, Math.min(ids.size(), from + IN_LIST_MAX)).stream()
                    .map(String::valueOf).collect(Collectors.joining(","));
            jdbi.useHandle(h -> h.createQuery("SELECT user_id, SUM(cost_nanos) FROM usage_logs WHERE user_id IN ("
                            + in + ") AND created_at >= :from GROUP BY user_id")
                    .bind("from", fromMillis)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> all.put(e.getKey(), e.getValue())));
        }
        return all;
    }

    private static final int IN_LIST_MAX = 500;

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Long number(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}

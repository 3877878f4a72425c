package dev.antler.billing;

import dev.antler.billing.UsageLogStore.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where totals of the usage rows matching a filter are read: whole UTC days from the daily roll-up, the whole hours
 * at either end of them from the hourly roll-up (see {@link UsageRollup}), the partial hours at either end of the
 * time range from the log itself, and everything from the log when the filter names a key (the roll-ups do not keep
 * keys). Each source gives the same sums for the same rows, so a query adds its parts' answers. Column expressions
 * are fixed text; filters are bound parameters.
 */
enum UsageSource {
    LOG("usage_logs", "created_at", 0, false),
    DAILY("usage_daily", "day_start", UsageRollup.DAY_MS, false),
    USER_DAILY("usage_user_daily", "day_start", UsageRollup.DAY_MS, true),
    HOURLY("usage_hourly", "hour_start", UsageRollup.HOUR_MS, false),
    USER_HOURLY("usage_user_hourly", "hour_start", UsageRollup.HOUR_MS, true);

    /** The roll-up tables, coarsest first: the order {@link #parts} tries them and writers lock their rows. */
    static final List<UsageSource> ROLLUPS = List.of(DAILY, USER_DAILY, HOURLY, USER_HOURLY);

    /**
     * A row's charge net of what happened to it later: a task submit's row counts its task's net charge (what the
     * ledger kept of it: nothing once refunded, else its cost as settled on what was made), any other row its own
     * cost. The task is found by the submit's request id, which its charge stored ({@code tasks.request_id}). The
     * roll-up keeps this net cost already.
     */
    private static final String NET_COST = "COALESCE((SELECT SUM(CASE WHEN t.refund_state = 'refunded' THEN 0"
            + " ELSE t.cost_nanos END) FROM tasks t WHERE t.request_id = usage_logs.request_id), usage_logs.cost_nanos)";

    /** One source and the part of the filter's rows it holds. */
    record Part(UsageSource source, Filter filter) {}

    final String table;
    final String time;
    /** The length of the time unit a row rolls up (0: the log's own rows). */
    final long unitMs;
    /** Whether rows are kept per user ({@code user_id} is a column). */
    final boolean perUser;

    UsageSource(String table, String time, long unitMs, boolean perUser) {
        this.table = table;
        this.time = time;
        this.unitMs = unitMs;
        this.perUser = perUser;
    }

    /**
     * The parts that together hold exactly the rows of {@code filter}: the log for a key filter; else, coarsest
     * level first, the whole units of the range from that level's roll-up ({@link #USER_DAILY} or
     * {@link #USER_HOURLY} when the filter or the grouping names users) and the partial units before and after them
     * from the next finer level, down to the log. {@code bucketMs}: the time buckets the caller groups rows into, 0
     * for none; a level serves only when its unit divides them (a day row cannot be split into hours).
     */
    static List<Part> parts(Filter filter, boolean byUser, long bucketMs) {
        List<UsageSource> levels = new ArrayList<>(2);
        if (filter.keyId() == null) {
            boolean users = byUser || filter.userId() != null;
            for (UsageSource source : ROLLUPS) {
                if (source.perUser == users && bucketMs % source.unitMs == 0) {
                    levels.add(source);
                }
            }
        }
        List<Part> parts = new ArrayList<>(5);
        split(filter, filter.from(), filter.to(), levels, 0, parts);
        return parts;
    }

    /** Adds the parts of {@code filter}'s rows in [{@code from}, {@code to}) read from {@code levels[level]} and finer. */
    private static void split(Filter filter, Long from, Long to, List<UsageSource> levels, int level, List<Part> out) {
        if (level == levels.size()) {
            out.add(new Part(LOG, within(filter, from, to)));
            return;
        }
        long unit = levels.get(level).unitMs;
        Long first = from == null ? null : Math.ceilDiv(from, unit) * unit;
        Long end = to == null ? null : Math.floorDiv(to, unit) * unit;
        if (first != null && end != null && first >= end) {
            split(filter, from, to, levels, level + 1, out); // no whole unit in the range
            return;
        }
        out.add(new Part(levels.get(level), within(filter, first, end)));
        if (from != null && from < first) {
            split(filter, from, first, levels, level + 1, out);
        }
        if (to != null && end < to) {
            split(filter, end, to, levels, level + 1, out);
        }
    }

    String requests() {
        return this == LOG ? "COUNT(*)" : "SUM(requests)";
    }

    String errors() {
        return this == LOG ? "SUM(CASE WHEN status_code >= 400 THEN 1 ELSE 0 END)" : "SUM(errors)";
    }

    String cost() {
        return "SUM(" + rowCost() + ")";
    }

    /** The requests one row counts. */
    String rowRequests() {
        return this == LOG ? "1" : "requests";
    }

    /** The net cost of one row. */
    String rowCost() {
        return this == LOG ? NET_COST : "cost_nanos";
    }

    /** The channel as a group key: null for rows that went to no channel (the roll-up keeps those as 0). */
    String channel() {
        return this == LOG ? "channel_id" : "NULLIF(channel_id, 0)";
    }

    /** The start of a row's bucket of {@code bucketMs} (a number the gateway chose, spliced into the SQL). */
    String bucket(long bucketMs) {
        return "(" + time + " - " + time + " % " + bucketMs + ")";
    }

    /** {@code " WHERE …"} for {@code filter} (empty when it filters nothing), its parameters put in {@code bindings}. */
    String where(Filter filter, Map<String, Object> bindings) {
        return where(filter, bindings, "");
    }

    /**
     * As {@link #where(Filter, Map)}, the parameters' names ending in {@code suffix}: a statement that reads several
     * parts binds each part's range apart.
     */
    String where(Filter filter, Map<String, Object> bindings, String suffix) {
        StringBuilder where = new StringBuilder();
        condition(where, bindings, "user_id = ", "userId" + suffix, filter.userId());
        condition(where, bindings, "key_id = ", "keyId" + suffix, filter.keyId());
        condition(where, bindings, "model = ", "model" + suffix, filter.model());
        condition(where, bindings, "channel_id = ", "channelId" + suffix, filter.channelId());
        condition(where, bindings, time + " >= ", "from" + suffix, filter.from());
        condition(where, bindings, time + " < ", "to" + suffix, filter.to());
        return where.toString();
    }

    private static void condition(StringBuilder where, Map<String, Object> bindings, String test, String name,
                                  Object value) {
        UsageLogStore.condition(where, bindings, test + ":" + name, name, value);
    }

    private static Filter within(Filter f, Long from, Long to) {
        return new Filter(f.userId(), f.keyId(), f.model(), f.channelId(), from, to);
    }
}

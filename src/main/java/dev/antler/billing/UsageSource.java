package dev.antler.billing;

import dev.antler.billing.UsageLogStore.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where totals of the usage rows matching a filter are read: whole hours from the hourly roll-up (see
 * {@link UsageRollup}), the partial hours at either end of the time range from the log itself, and everything from
 * the log when the filter names a key (the roll-up does not keep keys). Each source gives the same sums for the same
 * rows, so a query adds its parts' answers. Column expressions are fixed text; filters are bound parameters.
 */
enum UsageSource {
    LOG("usage_logs", "created_at"),
    HOURLY("usage_hourly", "hour_start"),
    USER_HOURLY("usage_user_hourly", "hour_start");

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

    UsageSource(String table, String time) {
        this.table = table;
        this.time = time;
    }

    /**
     * The parts that together hold exactly the rows of {@code filter}: the log for a key filter or a range within
     * one hour, else the roll-up ({@link #USER_HOURLY} when the filter or the grouping names users) for the whole
     * hours and the log for the partial hours before and after them.
     */
    static List<Part> parts(Filter filter, boolean byUser) {
        Long from = filter.from();
        Long to = filter.to();
        Long firstHour = from == null ? null : ceilHour(from);
        Long endHour = to == null ? null : to - Math.floorMod(to, UsageRollup.HOUR_MS);
        if (filter.keyId() != null || (firstHour != null && endHour != null && firstHour >= endHour)) {
            return List.of(new Part(LOG, filter));
        }
        UsageSource rollup = byUser || filter.userId() != null ? USER_HOURLY : HOURLY;
        List<Part> parts = new ArrayList<>(3);
        parts.add(new Part(rollup, within(filter, firstHour, endHour)));
        if (from != null && from < firstHour) {
            parts.add(new Part(LOG, within(filter, from, firstHour)));
        }
        if (to != null && endHour < to) {
            parts.add(new Part(LOG, within(filter, endHour, to)));
        }
        return parts;
    }

    String requests() {
        return this == LOG ? "COUNT(*)" : "SUM(requests)";
    }

    String errors() {
        return this == LOG ? "SUM(CASE WHEN status_code >= 400 THEN 1 ELSE 0 END)" : "SUM(errors)";
    }

    String cost() {
        return "SUM(" + (this == LOG ? NET_COST : "cost_nanos") + ")";
    }

    /** The channel as a group key: null for rows that went to no channel (the roll-up keeps those as 0). */
    String channel() {
        return this == LOG ? "channel_id" : "NULLIF(channel_id, 0)";
    }

    /** {@code " WHERE …"} for {@code filter} (empty when it filters nothing), its parameters put in {@code bindings}. */
    String where(Filter filter, Map<String, Object> bindings) {
        StringBuilder where = new StringBuilder();
        UsageLogStore.condition(where, bindings, "user_id = :userId", "userId", filter.userId());
        UsageLogStore.condition(where, bindings, "key_id = :keyId", "keyId", filter.keyId());
        UsageLogStore.condition(where, bindings, "model = :model", "model", filter.model());
        UsageLogStore.condition(where, bindings, "channel_id = :channelId", "channelId", filter.channelId());
        UsageLogStore.condition(where, bindings, time + " >= :from", "from", filter.from());
        UsageLogStore.condition(where, bindings, time + " < :to", "to", filter.to());
        return where.toString();
    }

    private static long ceilHour(long at) {
        long rem = Math.floorMod(at, UsageRollup.HOUR_MS);
        return rem == 0 ? at : at - rem + UsageRollup.HOUR_MS;
    }

    private static Filter within(Filter f, Long from, Long to) {
        return new Filter(f.userId(), f.keyId(), f.model(), f.channelId(), from, to);
    }
}

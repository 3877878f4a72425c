package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the usage log, which only the {@link LedgerWriter} writes. The SQL is plain enough for
 * SQLite, PostgreSQL and MySQL/MariaDB alike; filters are bound parameters, never spliced text.
 * Blocking: call off the event loop.
 */
public final class UsageLogStore {

    private static final String COLUMNS = "request_id, created_at, user_id, key_id, endpoint, model, upstream_model, "
            + "channel_id, status_code, stream, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, "
            + "units, cost_nanos, latency_ms, first_byte_ms, end_reason, billed_basis, attempts, error, attempt_log, id";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public UsageLogStore(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.dialect = database.dialect();
    }

    /**
     * Which rows to read; a null field does not filter.
     *
     * @param from epoch ms, inclusive
     * @param to   epoch ms, exclusive
     */
    public record Filter(Long userId, Long keyId, String model, Long channelId, Long from, Long to) {

        public static final Filter ALL = new Filter(null, null, null, null, null, null);
    }

    /** One usage row as stored; money in nano-dollars, times in epoch ms. */
    public record Entry(String requestId, long createdAt, long userId, long keyId, String endpoint, String model,
                        String upstreamModel, Long channelId, int statusCode, boolean stream, long promptTokens,
                        long completionTokens, long cachedTokens, long cacheWriteTokens, long units, long costNanos,
                        long latencyMs, Long firstByteMs, String endReason, String billedBasis, int attempts,
                        String error, String attemptLog, long id) {

        /** The position of this row, for the next page after it. */
        public Cursor cursor() {
            return new Cursor(createdAt, id);
        }
    }

    /**
     * A position in the log's order (newest first, then highest id): the next page holds the rows after it. Its
     * text form, {@code <created_at>_<id>}, is what a client passes back.
     */
    public record Cursor(long createdAt, long id) {

        /** Parses the text form; empty if it is not one. */
        public static java.util.Optional<Cursor> parse(String text) {
            int split = text.indexOf('_');
            try {
                return split < 1 ? java.util.Optional.empty() : java.util.Optional.of(new Cursor(
                        Long.parseLong(text.substring(0, split)), Long.parseLong(text.substring(split + 1))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }

        public String text() {
            return createdAt + "_" + id;
        }
    }

    /** What a summary groups by; each names a fixed column, so no request text reaches the SQL. */
    public enum GroupBy {
        MODEL("model"), USER("user_id"), CHANNEL("channel_id");

        private final String column;

        GroupBy(String column) {
            this.column = column;
        }
    }

    /** The totals of one group; {@code key} is the model name, user id or channel id (null: no channel). */
    public record Total(String key, long requests, long promptTokens, long completionTokens, long cachedTokens,
                        long costNanos) {}

    /** Rows matching {@code filter}, newest first. */
    public List<Entry> list(Filter filter, int limit, int offset) {
        requireNonNull(filter, "filter");
        Map<String, Object> bindings = new LinkedHashMap<>();
        String where = UsageSource.LOG.where(filter, bindings);
        bindings.put("limit", limit);
        bindings.put("offset", offset);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM usage_logs" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .bindMap(bindings).map((rs, ctx) -> entry(rs)).list());
    }

    /**
     * Rows matching {@code filter} that come after {@code after} (null: from the newest) in the newest-first order:
     * keyset paging, which costs the same on the last page as on the first (an OFFSET reads and drops every row
     * before its page). {@code errors}: true for answers of 400 and up, false for the others, null for all;
     * {@code endReason} filters the stream end reason.
     */
    public List<Entry> page(Filter filter, Boolean errors, String endReason, Cursor after, int limit) {
        requireNonNull(filter, "filter");
        Map<String, Object> bindings = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder(UsageSource.LOG.where(filter, bindings));
        condition(where, bindings, "end_reason = :endReason", "endReason", endReason);
        if (errors != null) {
            where.append(where.isEmpty() ? " WHERE " : " AND ").append(errors ? "status_code >= 400" : "status_code < 400");
        }
        if (after != null) {
            bindings.put("cursorTime", after.createdAt());
            bindings.put("cursorId", after.id());
            // "<=" first, so every engine reads it as a range of the (…, created_at) indexes; the OR only trims ties.
            where.append(where.isEmpty() ? " WHERE " : " AND ")
                    .append("created_at <= :cursorTime AND (created_at < :cursorTime OR id < :cursorId)");
        }
        bindings.put("limit", limit);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM usage_logs" + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bindMap(bindings).map((rs, ctx) -> entry(rs)).list());
    }

    /**
     * Per-group totals of rows matching {@code filter}, largest cost first (then by model name or by id, no key
     * last), at most {@code limit} groups. Whole days and hours are read from the roll-ups, partial hours from the
     * log, in one statement: the store adds the parts up and returns only the groups asked for (a day's summary by
     * user has as many groups as users active that day).
     */
    public List<Total> summary(Filter filter, GroupBy groupBy, int limit) {
        requireNonNull(filter, "filter");
        requireNonNull(groupBy, "groupBy");
        Map<String, Object> bindings = new LinkedHashMap<>();
        StringJoiner parts = new StringJoiner(" UNION ALL ");
        List<UsageSource.Part> sources = UsageSource.parts(filter, groupBy == GroupBy.USER, 0);
        for (int i = 0; i < sources.size(); i++) {
            parts.add(summarySql(sources.get(i), groupBy, bindings, "_" + i));
        }
        bindings.put("limit", limit);
        // Ties in name or id order, no key last: text compared as bytes (PostgreSQL's databases may sort by locale).
        String keyOrder = groupBy == GroupBy.MODEL && dialect == Dialect.POSTGRESQL
                ? "group_key COLLATE \"C\"" : "group_key";
        String sql = "SELECT group_key, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), "
                + "SUM(cost) FROM (" + parts + ") parts GROUP BY group_key "
                + "ORDER BY SUM(cost) DESC, CASE WHEN group_key IS NULL THEN 1 ELSE 0 END, " + keyOrder + " LIMIT :limit";
        return jdbi.withHandle(h -> h.createQuery(sql).bindMap(bindings).map((rs, ctx) -> new Total(rs.getString(1),
                rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6))).list());
    }

    /** The SQL of one part of {@link #summary}, its parameters put in {@code bindings}. */
    String summarySql(UsageSource.Part part, GroupBy groupBy, Map<String, Object> bindings) {
        return summarySql(part, groupBy, bindings, "");
    }

    private String summarySql(UsageSource.Part part, GroupBy groupBy, Map<String, Object> bindings, String suffix) {
        UsageSource source = part.source();
        String column = groupBy == GroupBy.CHANNEL ? source.channel() : groupBy.column;
        // Rows, not groups: the statement groups the parts' rows once (grouping each part first and then the
        // groups again cost SQLite twice the time for a day by user). The log's net cost is a sum over tasks, a
        // NUMERIC on PostgreSQL: as an integer, the groups' sums take a fraction of the memory and time.
        return "SELECT " + column + " AS group_key, " + source.rowRequests() + " AS requests, prompt_tokens, "
                + "completion_tokens, cached_tokens, " + dialect.integer(source.rowCost()) + " AS cost FROM "
                + source.table + source.where(part.filter(), bindings, suffix);
    }

    /** The totals of all rows matching {@code filter}; {@code key} is null. */
    public Total total(Filter filter) {
        requireNonNull(filter, "filter");
        long[] sums = new long[5];
        for (UsageSource.Part part : UsageSource.parts(filter, false, 0)) {
            Map<String, Object> bindings = new LinkedHashMap<>();
            UsageSource source = part.source();
            String sql = "SELECT " + source.requests() + ", SUM(prompt_tokens), SUM(completion_tokens), "
                    + "SUM(cached_tokens), " + source.cost() + " FROM " + source.table + source.where(part.filter(), bindings);
            jdbi.useHandle(h -> h.createQuery(sql).bindMap(bindings).map((rs, ctx) -> {
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += rs.getLong(i + 1); // SUM of no rows is NULL, read as 0
                }
                return 0;
            }).one());
        }
        return total(null, sums);
    }

    private static Total total(String key, long[] sums) {
        return new Total(key, sums[0], sums[1], sums[2], sums[3], sums[4]);
    }

    static void condition(StringBuilder where, Map<String, Object> bindings, String sql, String name,
                                  Object value) {
        if (value != null) {
            where.append(where.isEmpty() ? " WHERE " : " AND ").append(sql);
            bindings.put(name, value);
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), nullableLong(rs, 8), rs.getInt(9), rs.getInt(10) != 0,
                rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                rs.getLong(17), nullableLong(rs, 18), rs.getString(19), rs.getString(20), rs.getInt(21),
                rs.getString(22), rs.getString(23), rs.getLong(24));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}

package dev.antler.billing;

import dev.antler.store.MultiRowInsert;
import dev.antler.store.StatementSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of one {@link LedgerWriter} transaction, in plain JDBC with positional parameters:
 * Jdbi's named binding and per-statement set-up cost more CPU than SQLite's own work on these rows
 * (profile of the issue 7 benchmark). Rows go in as multi-row inserts; the summed deltas go to each
 * user and key with one batched update, and the new totals are read back with {@code IN} lists.
 */
final class LedgerStatements {

    /** One ledger row: a balance change of a user. */
    record LedgerRow(long userId, long amountNanos, String kind, String reference, String note, long createdAt) {}

    /** A user's or key's summed change in one batch (requests: usage rows among them). */
    static final class Delta {
        long balance;
        long used;
        long requests;
        /** What the batch's entries had pending in the {@link BalanceBook}, applied or not. */
        long pendingInBook;
        /** The batch's charged requests the book counted as pending, applied or not. */
        long pendingRequests;
    }

    private static final int CHUNK_ROWS = 64;
    /** Most ids per read-back query; a query takes a power of two ids, the last one repeated as padding. */
    private static final int IDS_PER_QUERY = 64;

    private static final MultiRowInsert<UsageRecord> USAGE_ROWS = new MultiRowInsert<>("usage_logs",
            "request_id, created_at, user_id, key_id, endpoint, model, upstream_model, channel_id, status_code, "
                    + "stream, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, units, cost_nanos, "
                    + "latency_ms, first_byte_ms, end_reason, billed_basis, attempts, error, attempt_log",
            CHUNK_ROWS, LedgerStatements::bindUsage);
    private static final MultiRowInsert<LedgerRow> LEDGER_ROWS = new MultiRowInsert<>("ledger",
            "user_id, amount_nanos, kind, reference, note, created_at", CHUNK_ROWS, LedgerStatements::bindLedger);

    private LedgerStatements() {}

    static void insertUsage(StatementSource statements, List<UsageRecord> rows) {
        try {
            USAGE_ROWS.insert(statements, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("usage_logs: insert of a batch failed: " + e.getMessage(), e);
        }
    }

    static void insertLedger(StatementSource statements, List<LedgerRow> rows) {
        try {
            LEDGER_ROWS.insert(statements, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("ledger: insert of a batch failed: " + e.getMessage(), e);
        }
    }

    /** Adds each user's delta and returns the stored balances; fails if a user has no row. */
    static Map<Long, Long> addToUsers(StatementSource statements, Map<Long, Delta> deltas) {
        if (deltas.isEmpty()) {
            return Map.of();
        }
        try {
            PreparedStatement update = statements.prepare("UPDATE users SET balance_nanos = balance_nanos + ?, "
                    + "used_nanos = used_nanos + ?, request_count = request_count + ?, "
                    + "balance_version = balance_version + 1 WHERE id = ?");
            for (Map.Entry<Long, Delta> u : deltas.entrySet()) {
                update.setLong(1, u.getValue().balance);
                update.setLong(2, u.getValue().used);
                update.setLong(3, u.getValue().requests);
                update.setLong(4, u.getKey());
                update.addBatch();
            }
            update.executeBatch();
            Map<Long, Long> balances = HashMap.newHashMap(deltas.size());
            readBack(statements, "SELECT id, balance_nanos FROM users WHERE id IN ", deltas,
                    rows -> balances.put(rows.getLong(1), rows.getLong(2)));
            for (Long id : deltas.keySet()) {
                if (!balances.containsKey(id)) {
                    throw new EntryRejected("users: no row for id " + id + " (expected: an existing user)");
                }
            }
            return balances;
        } catch (SQLException e) {
            throw new IllegalStateException("users: update of a batch failed: " + e.getMessage(), e);
        }
    }

    /** Adds each key's delta and returns what remains of the spend limits (keys without a limit are absent). */
    static Map<Long, Long> addToKeys(StatementSource statements, Map<Long, Delta> deltas, long now) {
        if (deltas.isEmpty()) {
            return Map.of();
        }
        try {
            PreparedStatement update = statements.prepare("UPDATE api_keys SET used_nanos = used_nanos + ?, "
                    + "request_count = request_count + ?, last_used_at = ? WHERE id = ?");
            for (Map.Entry<Long, Delta> k : deltas.entrySet()) {
                update.setLong(1, k.getValue().used);
                update.setLong(2, k.getValue().requests);
                update.setLong(3, now);
                update.setLong(4, k.getKey());
                update.addBatch();
            }
            update.executeBatch();
            Map<Long, Long> remaining = new HashMap<>();
            readBack(statements, "SELECT id, spend_limit_nanos, used_nanos FROM api_keys WHERE id IN ", deltas, rows -> {
                long limit = rows.getLong(2);
                if (!rows.wasNull()) {
                    remaining.put(rows.getLong(1), limit - rows.getLong(3));
                }
            });
            return remaining;
        } catch (SQLException e) {
            throw new IllegalStateException("api_keys: update of a batch failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    /** Runs {@code select} (ending in {@code IN }) over the ids of {@code deltas}, {@link #IDS_PER_QUERY} at most at a time. */
    private static void readBack(StatementSource statements, String select, Map<Long, Delta> deltas, RowReader reader)
            throws SQLException {
        long[] ids = deltas.keySet().stream().mapToLong(Long::longValue).toArray();
        int perQuery = Math.min(IDS_PER_QUERY, Integer.highestOneBit(ids.length * 2 - 1));
        PreparedStatement query = statements.prepare(select + "(?" + ", ?".repeat(perQuery - 1) + ")");
        for (int start = 0; start < ids.length; start += perQuery) {
            for (int i = 0; i < perQuery; i++) {
                query.setLong(i + 1, ids[Math.min(start + i, ids.length - 1)]);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }

    private static void bindUsage(PreparedStatement insert, int i, UsageRecord r) throws SQLException {
        Usage u = r.usage();
        insert.setString(i, r.requestId());
        insert.setLong(i + 1, r.createdAt());
        insert.setLong(i + 2, r.userId());
        insert.setLong(i + 3, r.keyId());
        insert.setString(i + 4, r.endpoint());
        insert.setString(i + 5, r.model());
        setString(insert, i + 6, r.upstreamModel());
        setLong(insert, i + 7, r.channelId());
        insert.setInt(i + 8, r.statusCode());
        insert.setInt(i + 9, r.stream() ? 1 : 0);
        insert.setLong(i + 10, u.promptTokens());
        insert.setLong(i + 11, u.completionTokens());
        insert.setLong(i + 12, u.cachedTokens());
        insert.setLong(i + 13, u.cacheWriteTokens());
        insert.setLong(i + 14, Math.max(u.images(), u.seconds()));
        insert.setLong(i + 15, r.costNanos());
        insert.setLong(i + 16, r.latencyMs());
        setLong(insert, i + 17, r.firstByteMs());
        insert.setString(i + 18, r.endReason());
        insert.setString(i + 19, r.billedBasis());
        insert.setInt(i + 20, r.attempts());
        setString(insert, i + 21, r.error());
        setString(insert, i + 22, r.attemptLog());
    }

    private static void bindLedger(PreparedStatement insert, int i, LedgerRow row) throws SQLException {
        insert.setLong(i, row.userId);
        insert.setLong(i + 1, row.amountNanos);
        insert.setString(i + 2, row.kind);
        setString(insert, i + 3, row.reference);
        setString(insert, i + 4, row.note);
        insert.setLong(i + 5, row.createdAt);
    }

    private static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}

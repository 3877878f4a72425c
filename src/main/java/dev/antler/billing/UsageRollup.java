package dev.antler.billing;

import dev.antler.store.Dialect;
import dev.antler.store.StatementSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the roll-ups of the usage log in step with it: by UTC day ({@code usage_daily}, {@code usage_user_daily}; see
 * migration V20) and by hour ({@code usage_hourly}: all users by model and channel; {@code usage_user_hourly}: the
 * same per user, keyed by hour first; see migrations V18 and V21). The {@link LedgerBatch} adds its usage rows here
 * in the transaction that inserts them, and moves a task submit's cost when the task is refunded or settled, as the
 * summaries net it. So a whole day or hour of a roll-up always equals the log's rows of that day or hour, and charts
 * and summaries read a few rows per day or hour instead of every request.
 */
final class UsageRollup {

    static final long HOUR_MS = 3_600_000;
    /** A UTC day: days start at multiples of it since the epoch. */
    static final long DAY_MS = 24 * HOUR_MS;

    /** Upper bounds (ms, inclusive) of the latency histogram's bins; the last bin is everything above. */
    static final long[] LATENCY_BINS = {50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000,
            15_000, 20_000, 30_000, 60_000, 120_000, 300_000};

    /** The measure columns, in the order {@link Cell}'s sums hold them. */
    static final List<String> MEASURES = measures();
    private static final int LATENCY_FROM = 6;

    /** A task's charge re-priced by {@code costDelta} nano-USD (a refund is minus what it kept). */
    record Repricing(String taskPublicId, long costDelta) {}

    /** One roll-up row's key; {@code userId} 0 in the tables that are not per user. */
    private record Cell(UsageSource table, long userId, long start, String model, long channelId) {
        static final Comparator<Cell> ORDER = Comparator.comparing(Cell::table).thenComparingLong(Cell::userId)
                .thenComparingLong(Cell::start).thenComparing(Cell::model).thenComparingLong(Cell::channelId);
    }

    private UsageRollup() {}

    /** The column counting the requests of latency bin {@code bin}. */
    static String latencyColumn(int bin) {
        return String.format("lat_%02d", bin);
    }

    /** The bin of a latency, an index into the {@code lat_NN} columns. */
    static int latencyBin(long latencyMs) {
        for (int i = 0; i < LATENCY_BINS.length; i++) {
            if (latencyMs <= LATENCY_BINS[i]) {
                return i;
            }
        }
        return LATENCY_BINS.length;
    }

    /**
     * Adds {@code rows} (usage rows this transaction inserted) and {@code repricings} to every roll-up table. Cells
     * are written in one order ({@link Cell#ORDER}: table, user, start, model, channel), so the writers of instances
     * sharing the store take the rows' locks in one order.
     */
    static void add(StatementSource statements, Dialect dialect, List<UsageRecord> rows, List<Repricing> repricings) {
        try {
            if (!rows.isEmpty()) {
                Map<Cell, long[]> cells = new TreeMap<>(Cell.ORDER);
                for (UsageRecord row : rows) {
                    long channel = row.channelId() == null ? 0 : row.channelId();
                    for (UsageSource table : UsageSource.ROLLUPS) {
                        Cell cell = new Cell(table, table.perUser ? row.userId() : 0,
                                start(row.createdAt(), table), row.model(), channel);
                        addRow(cells.computeIfAbsent(cell, c -> new long[MEASURES.size()]), row);
                    }
                }
                upsert(statements, dialect, cells);
            }
            for (Repricing r : repricings) {
                reprice(statements, r);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage roll-up of a batch failed: " + e.getMessage(), e);
        }
    }

    /** The start of the day or hour of {@code table} that holds {@code at}. */
    private static long start(long at, UsageSource table) {
        return at - Math.floorMod(at, table.unitMs);
    }

    private static void addRow(long[] sums, UsageRecord row) {
        sums[0]++;
        sums[1] += row.statusCode() >= 400 ? 1 : 0;
        sums[2] += row.usage().promptTokens();
        sums[3] += row.usage().completionTokens();
        sums[4] += row.usage().cachedTokens();
        sums[5] += row.costNanos();
        sums[LATENCY_FROM + latencyBin(row.latencyMs())]++;
    }

    private static void upsert(StatementSource statements, Dialect dialect, Map<Cell, long[]> cells)
            throws SQLException {
        PreparedStatement batch = null;
        UsageSource table = null;
        for (Map.Entry<Cell, long[]> e : cells.entrySet()) {
            Cell cell = e.getKey();
            if (cell.table() != table) {
                if (batch != null) {
                    batch.executeBatch();
                }
                table = cell.table();
                batch = statements.prepare(upsertSql(dialect, table));
            }
            int p = 1;
            if (table.perUser) {
                batch.setLong(p++, cell.userId());
            }
            batch.setLong(p++, cell.start());
            batch.setString(p++, cell.model());
            batch.setLong(p++, cell.channelId());
            for (long sum : e.getValue()) {
                batch.setLong(p++, sum);
            }
            batch.addBatch();
        }
        if (batch != null) {
            batch.executeBatch();
        }
    }

    /** Moves the cost of the cells holding the task's submit row; nothing if that row is not in the log. */
    private static void reprice(StatementSource statements, Repricing r) throws SQLException {
        PreparedStatement find = statements.prepare("SELECT u.user_id, u.created_at, u.model, u.channel_id "
                + "FROM tasks t JOIN usage_logs u ON u.request_id = t.request_id WHERE t.public_id = ?");
        find.setString(1, r.taskPublicId());
        try (ResultSet row = find.executeQuery()) {
            if (!row.next()) {
                return;
            }
            for (UsageSource table : UsageSource.ROLLUPS) {
                PreparedStatement s = statements.prepare("UPDATE " + table.table + " SET cost_nanos = cost_nanos + ? "
                        + "WHERE " + table.time + " = ? AND model = ? AND channel_id = ?"
                        + (table.perUser ? " AND user_id = ?" : ""));
                s.setLong(1, r.costDelta());
                s.setLong(2, start(row.getLong(2), table));
                s.setString(3, row.getString(3));
                s.setLong(4, row.getLong(4));
                if (table.perUser) {
                    s.setLong(5, row.getLong(1));
                }
                s.executeUpdate();
            }
        }
    }

    private static String upsertSql(Dialect dialect, UsageSource rollup) {
        String table = rollup.table;
        String keys = (rollup.perUser ? "user_id, " : "") + rollup.time + ", model, channel_id";
        String columns = keys + ", " + String.join(", ", MEASURES);
        String values = "?" + ", ?".repeat(columns.split(",").length - 1);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns)
                .append(") VALUES (").append(values).append(')');
        sql.append(dialect.onConflict(keys));
        for (int i = 0; i < MEASURES.size(); i++) {
            String m = MEASURES.get(i);
            sql.append(i == 0 ? "" : ", ").append(m).append(" = ").append(table).append('.').append(m).append(" + ")
                    .append(dialect.proposed(m));
        }
        return sql.toString();
    }

    private static List<String> measures() {
        List<String> out = new ArrayList<>(List.of("requests", "errors", "prompt_tokens",
                "completion_tokens", "cached_tokens", "cost_nanos"));
        for (int i = 0; i <= LATENCY_BINS.length; i++) {
            out.add(latencyColumn(i));
        }
        return List.copyOf(out);
    }
}

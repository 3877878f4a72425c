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
 * Keeps the hourly roll-up of the usage log ({@code usage_hourly}: all users by model and channel;
 * {@code usage_user_hourly}: the same per user; see migration V18) in step with it: the {@link LedgerBatch} adds
 * its usage rows here in the transaction that inserts them, and moves a task submit's cost when the task is
 * refunded or settled, as the summaries net it. So a whole hour of the roll-up always equals the log's rows of
 * that hour, and charts and summaries read a few rows per hour instead of every request.
 */
final class UsageRollup {

    static final long HOUR_MS = 3_600_000;

    /** Upper bounds (ms, inclusive) of the latency histogram's bins; the last bin is everything above. */
    static final long[] LATENCY_BINS = {50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000,
            15_000, 20_000, 30_000, 60_000, 120_000, 300_000};

    /** The measure columns, in the order {@link Cell}'s sums hold them. */
    static final List<String> MEASURES = measures();
    private static final int LATENCY_FROM = 6;

    /** A task's charge re-priced by {@code costDelta} nano-USD (a refund is minus what it kept). */
    record Repricing(String taskPublicId, long costDelta) {}

    /** One roll-up row's key; {@code userId} 0 for {@code usage_hourly}. */
    private record Cell(long userId, long hourStart, String model, long channelId) {
        static final Comparator<Cell> ORDER = Comparator.comparingLong(Cell::userId).thenComparingLong(Cell::hourStart)
                .thenComparing(Cell::model).thenComparingLong(Cell::channelId);
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
     * Adds {@code rows} (usage rows this transaction inserted) and {@code repricings} to both tables. Cells are
     * written in key order, so the writers of instances sharing the store take the rows' locks in one order.
     */
    static void add(StatementSource statements, Dialect dialect, List<UsageRecord> rows, List<Repricing> repricings) {
        try {
            if (!rows.isEmpty()) {
                Map<Cell, long[]> cells = new TreeMap<>(Cell.ORDER);
                for (UsageRecord row : rows) {
                    long hour = row.createdAt() - Math.floorMod(row.createdAt(), HOUR_MS);
                    long channel = row.channelId() == null ? 0 : row.channelId();
                    addRow(cells.computeIfAbsent(new Cell(0, hour, row.model(), channel), c -> new long[MEASURES.size()]), row);
                    addRow(cells.computeIfAbsent(new Cell(row.userId(), hour, row.model(), channel),
                            c -> new long[MEASURES.size()]), row);
                }
                upsert(statements, dialect, cells);
            }
            for (Repricing r : repricings) {
                reprice(statements, r);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage_hourly: roll-up of a batch failed: " + e.getMessage(), e);
        }
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
        PreparedStatement all = statements.prepare(upsertSql(dialect, "usage_hourly", "hour_start, model, channel_id"));
        PreparedStatement perUser = statements.prepare(upsertSql(dialect, "usage_user_hourly",
                "user_id, hour_start, model, channel_id"));
        boolean anyAll = false;
        boolean anyPerUser = false;
        for (Map.Entry<Cell, long[]> e : cells.entrySet()) {
            Cell cell = e.getKey();
            PreparedStatement s = cell.userId() == 0 ? all : perUser;
            int p = 1;
            if (cell.userId() != 0) {
                s.setLong(p++, cell.userId());
            }
            s.setLong(p++, cell.hourStart());
            s.setString(p++, cell.model());
            s.setLong(p++, cell.channelId());
            for (long sum : e.getValue()) {
                s.setLong(p++, sum);
            }
            s.addBatch();
            anyAll |= cell.userId() == 0;
            anyPerUser |= cell.userId() != 0;
        }
        if (anyAll) {
            all.executeBatch();
        }
        if (anyPerUser) {
            perUser.executeBatch();
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
            long hour = row.getLong(2) - Math.floorMod(row.getLong(2), HOUR_MS);
            PreparedStatement all = statements.prepare("UPDATE usage_hourly SET cost_nanos = cost_nanos + ? "
                    + "WHERE hour_start = ? AND model = ? AND channel_id = ?");
            PreparedStatement perUser = statements.prepare("UPDATE usage_user_hourly SET cost_nanos = cost_nanos + ? "
                    + "WHERE hour_start = ? AND model = ? AND channel_id = ? AND user_id = ?");
            for (PreparedStatement s : List.of(all, perUser)) {
                s.setLong(1, r.costDelta());
                s.setLong(2, hour);
                s.setString(3, row.getString(3));
                s.setLong(4, row.getLong(4));
                if (s == perUser) {
                    s.setLong(5, row.getLong(1));
                }
                s.executeUpdate();
            }
        }
    }

    private static String upsertSql(Dialect dialect, String table, String keys) {
        String columns = keys + ", " + String.join(", ", MEASURES);
        String values = "?" + ", ?".repeat(columns.split(",").length - 1);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns)
                .append(") VALUES (").append(values).append(')');
        sql.append(dialect == Dialect.MYSQL ? " ON DUPLICATE KEY UPDATE " : " ON CONFLICT (" + keys + ") DO UPDATE SET ");
        for (int i = 0; i < MEASURES.size(); i++) {
            String m = MEASURES.get(i);
            sql.append(i == 0 ? "" : ", ").append(m).append(" = ").append(table).append('.').append(m).append(" + ")
                    .append(dialect == Dialect.MYSQL ? "VALUES(" + m + ")" : "excluded." + m);
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

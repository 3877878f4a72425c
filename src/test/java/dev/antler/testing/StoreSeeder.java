package dev.antler.testing;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.ApiKeys;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Fills a store with a large, consistent population: users, their API keys, usage rows and the ledger rows
 * that go with them (an opening credit per user and a charge per paid usage row, so every balance equals the
 * sum of its ledger rows, and every user's and key's used totals and request counts match their usage rows).
 * Rows are appended after whatever the store holds; the same sizes and seed give the same rows.
 *
 * <p>Fast on purpose: multi-row inserts in large transactions (SQLite, MySQL/MariaDB) or {@code COPY}
 * (PostgreSQL), with the secondary indexes of the two big tables rebuilt once at the end (see
 * {@link BulkIndexes}). Used by the benchmark from the command line (see {@link #main}) and by tests that need
 * a grown store through {@link #seed(Database, Sizes, Consumer)}.
 *
 * <p>A seeded key's plain text is {@link #key(long)} of its id, so a caller can authenticate as any seeded key.
 */
public final class StoreSeeder {

    /** How much to write; usage rows are spread evenly over the last {@code days} days, oldest first. */
    public record Sizes(int users, int keys, long usageRows, int days) {

        public Sizes {
            if (users < 1 || keys < 0 || usageRows < 0 || days < 1) {
                throw new IllegalArgumentException("sizes: " + users + " users, " + keys + " keys, " + usageRows
                        + " usage rows, " + days + " days (expected: users >= 1, keys, rows >= 0, days >= 1)");
            }
            if (usageRows > 0 && keys == 0) {
                throw new IllegalArgumentException("sizes: usage rows need keys (expected: keys >= 1)");
            }
        }
    }

    /** What was written: ids are contiguous from the first ones. */
    public record Seeded(long firstUserId, long firstKeyId, Sizes sizes, long ledgerRows, long millis) {}

    /** The models and channel ids usage rows name (channel ids need not exist: rows outlive channels). */
    public static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o3-mini",
            "claude-sonnet-4", "claude-haiku-3.5", "gemini-2.5-pro", "gemini-2.5-flash", "deepseek-chat",
            "text-embedding-3-small", "dall-e-3"};
    public static final int CHANNELS = 8;
    static final long OPENING_NANOS = 100_000_000_000L; // 100 USD each

    private StoreSeeder() {}

    /** The plain text of the seeded key with this id. */
    public static String key(long keyId) {
        return String.format("sk-seed-%040d", keyId);
    }

    public static Seeded seed(Database database, Sizes sizes, Consumer<String> progress) {
        requireNonNull(database, "database");
        try (Handle handle = database.jdbi().open()) {
            return seed(handle.getConnection(), database.dialect(), sizes, progress);
        } catch (SQLException e) {
            throw new IllegalStateException("seeding failed: " + e.getMessage(), e);
        }
    }

    public static Seeded seed(Connection connection, Dialect dialect, Sizes sizes, Consumer<String> progress)
            throws SQLException {
        requireNonNull(sizes, "sizes");
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            long firstUser = nextId(connection, "users");
            long firstKey = nextId(connection, "api_keys");
            long now = System.currentTimeMillis();
            UsageRows plan = new UsageRows(sizes, firstUser, firstKey, now);
            progress.accept("planning " + sizes.usageRows() + " usage rows (per-user and per-key totals)");
            Totals totals = plan.totals();
            BulkIndexes indexes = BulkIndexes.drop(connection, dialect, "usage_logs", "ledger");
            if (dialect == Dialect.POSTGRESQL) {
                skipForeignKeyChecks(connection);
            }
            try (RowSink users = RowSink.open(connection, dialect, "users",
                    "id, name, group_name, status, balance_nanos, used_nanos, request_count, created_at", progress)) {
                for (int u = 0; u < sizes.users(); u++) {
                    users.add(firstUser + u, "seed-user-" + (firstUser + u), "default", "active",
                            OPENING_NANOS - totals.userUsed[u], totals.userUsed[u], totals.userRequests[u],
                            plan.start);
                }
            }
            try (RowSink keys = RowSink.open(connection, dialect, "api_keys",
                    "id, user_id, name, key_hash, key_hint, status, used_nanos, request_count, created_at, last_used_at",
                    progress)) {
                for (int k = 0; k < sizes.keys(); k++) {
                    String plain = key(firstKey + k);
                    keys.add(firstKey + k, firstUser + plan.owner(k), "seed-key-" + k, ApiKeys.hash(plain),
                            ApiKeys.hint(plain), "active", totals.keyUsed[k], totals.keyRequests[k], plan.start,
                            totals.keyRequests[k] > 0 ? now : null);
                }
            }
            long ledgerRows = 0;
            try (RowSink ledger = RowSink.open(connection, dialect, "ledger",
                    "user_id, amount_nanos, kind, reference, note, created_at", progress)) {
                for (int u = 0; u < sizes.users(); u++) {
                    ledger.add(firstUser + u, OPENING_NANOS, "opening", null, "opening balance (seeded)", plan.start);
                }
                ledgerRows = sizes.users() + plan.writeCharges(ledger);
            }
            plan.writeUsage(connection, dialect, progress);
            indexes.restore(progress);
            progress.accept("rolling the usage rows up by hour and by day");
            UsageRollups.rebuild(connection, dialect);
            if (dialect == Dialect.POSTGRESQL) {
                try (Statement s = connection.createStatement()) {
                    s.execute("RESET session_replication_role");
                    for (String table : new String[] {"users", "api_keys"}) {
                        s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                                + "(SELECT MAX(id) FROM " + table + "))");
                    }
                    s.execute("ANALYZE"); // as autovacuum would, soon after a load this size
                }
            }
            // No ANALYZE on SQLite: the gateway never runs it, so a store in use has no statistics and the
            // planner's choices on a seeded store must be the ones it makes there.
            connection.commit();
            long millis = (System.nanoTime() - started) / 1_000_000;
            progress.accept(String.format("seeded %d users, %d keys, %d usage rows, %d ledger rows in %.1f s",
                    sizes.users(), sizes.keys(), sizes.usageRows(), ledgerRows, millis / 1000.0));
            return new Seeded(firstUser, firstKey, sizes, ledgerRows, millis);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * PostgreSQL checks the ledger's foreign key with a trigger per row, a third of the load's time; the rows are
     * consistent by construction, so a superuser's session skips it (others keep the checks).
     */
    private static void skipForeignKeyChecks(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET session_replication_role = replica");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback(); // not a superuser: the checks stay
        }
    }

    private static long nextId(Connection connection, String table) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Per-user and per-key sums of the planned usage rows (index: offset from the first id). */
    record Totals(long[] userUsed, long[] userRequests, long[] keyUsed, long[] keyRequests) {}

    /**
     * The usage rows, generated twice from the same seed: once for the totals (users and keys are written
     * first, with their final balances), once to write them.
     */
    static final class UsageRows {

        private static final long SEED = 20_261_205L;
        final Sizes sizes;
        final long firstUser;
        final long firstKey;
        final long start;
        private final long spanMillis;

        UsageRows(Sizes sizes, long firstUser, long firstKey, long now) {
            this.sizes = sizes;
            this.firstUser = firstUser;
            this.firstKey = firstKey;
            this.spanMillis = sizes.days() * 86_400_000L;
            this.start = now - spanMillis;
        }

        /** The user (offset) owning key offset {@code k}: keys are dealt round-robin. */
        int owner(int k) {
            return k % sizes.users();
        }

        Totals totals() {
            Totals t = new Totals(new long[sizes.users()], new long[sizes.users()], new long[sizes.keys()],
                    new long[sizes.keys()]);
            Row row = new Row();
            SplittableRandom random = new SplittableRandom(SEED);
            for (long i = 0; i < sizes.usageRows(); i++) {
                next(random, i, row);
                int user = owner(row.key);
                t.userUsed[user] += row.cost;
                t.userRequests[user]++;
                t.keyUsed[row.key] += row.cost;
                t.keyRequests[row.key]++;
            }
            return t;
        }

        /** Writes every usage row. */
        void writeUsage(Connection connection, Dialect dialect, Consumer<String> progress) throws SQLException {
            Row row = new Row();
            SplittableRandom random = new SplittableRandom(SEED);
            try (RowSink usage = RowSink.open(connection, dialect, "usage_logs", "request_id, created_at, user_id, "
                    + "key_id, endpoint, model, upstream_model, channel_id, status_code, stream, prompt_tokens, "
                    + "completion_tokens, cached_tokens, cache_write_tokens, units, cost_nanos, latency_ms, "
                    + "first_byte_ms, end_reason, billed_basis, attempts, error, attempt_log", progress)) {
                for (long i = 0; i < sizes.usageRows(); i++) {
                    next(random, i, row);
                    String model = MODELS[row.model];
                    boolean ok = row.status == 200;
                    usage.add(requestId(i), row.createdAt, firstUser + owner(row.key), firstKey + row.key,
                            "/v1/chat/completions", model, model, row.channel, row.status, row.stream ? 1 : 0,
                            row.prompt, row.completion, row.cached, 0, 0, row.cost, row.latency,
                            ok ? row.latency / 3 : null, ok ? "complete" : "upstream_error", ok ? "usage" : "none", 1,
                            ok ? null : "upstream answered " + row.status, null);
                }
            }
        }

        /**
         * Writes a charge ledger row for each paid usage row, in a pass of its own (PostgreSQL runs one COPY at
         * a time on a connection); returns how many.
         */
        long writeCharges(RowSink ledger) throws SQLException {
            long charges = 0;
            Row row = new Row();
            SplittableRandom random = new SplittableRandom(SEED);
            for (long i = 0; i < sizes.usageRows(); i++) {
                next(random, i, row);
                if (row.cost > 0) {
                    ledger.add(firstUser + owner(row.key), -row.cost, "charge", requestId(i), null, row.createdAt);
                    charges++;
                }
            }
            return charges;
        }

        private static String requestId(long i) {
            String digits = Long.toString(i);
            return "req-seed-" + "0".repeat(Math.max(0, 12 - digits.length())) + digits;
        }

        /** Row {@code i}: keys skewed towards low ids (a few heavy users), times ascending. */
        private void next(SplittableRandom random, long i, Row row) {
            double r = random.nextDouble();
            row.key = (int) (sizes.keys() * r * r);
            row.createdAt = start + (long) ((double) i / Math.max(1, sizes.usageRows()) * spanMillis);
            row.model = random.nextInt(MODELS.length);
            row.channel = 1 + random.nextInt(CHANNELS);
            row.status = random.nextInt(50) == 0 ? 500 : 200;
            row.stream = random.nextBoolean();
            row.prompt = 10 + random.nextInt(4000);
            row.completion = random.nextInt(1500);
            row.cached = random.nextInt(4) == 0 ? row.prompt / 2 : 0;
            row.latency = 200 + random.nextInt(20_000);
            row.cost = row.status == 200 ? row.prompt * 150L + row.completion * 600L : 0;
        }
    }

    private static final class Row {
        int key;
        long createdAt;
        int model;
        int channel;
        int status;
        boolean stream;
        long prompt;
        long completion;
        long cached;
        long latency;
        long cost;
    }

    /**
     * Seeds the store at a JDBC URL (migrated first, as the gateway would):
     * {@code java -cp 'target/antler.jar:target/lib/*' src/test/java/dev/antler/testing/StoreSeeder.java
     * --url URL [--user U --password P] [--users N] [--keys N] [--rows N] [--days N]}.
     */
    public static void main(String[] args) throws Exception {
        String url = null;
        String user = null;
        String password = null;
        int users = 100_000;
        int keys = 1_000_000;
        long rows = 10_000_000;
        int days = 90;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--url" -> url = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--users" -> users = Integer.parseInt(value);
                case "--keys" -> keys = Integer.parseInt(value);
                case "--rows" -> rows = Long.parseLong(value);
                case "--days" -> days = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("option: " + args[i]
                        + " (expected: --url, --user, --password, --users, --keys, --rows, --days)");
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url: missing (expected: a JDBC URL, e.g. jdbc:sqlite:/tmp/a.db)");
        }
        Sizes sizes = new Sizes(users, keys, rows, days);
        long t0 = System.nanoTime();
        try (Database database = Database.open(new DatabaseConfig(url, user, password, 2))) {
            log(String.format("schema ready in %.1f s", (System.nanoTime() - t0) / 1e9));
            try (Handle handle = database.jdbi().open()) {
                Connection connection = handle.getConnection();
                if (database.dialect() == Dialect.SQLITE) {
                    try (Statement s = connection.createStatement()) {
                        // A one-off bulk load into a store nobody else uses yet: no fsync, a large page cache.
                        s.execute("PRAGMA synchronous = OFF");
                        s.execute("PRAGMA cache_size = -1000000");
                        s.execute("PRAGMA foreign_keys = OFF");
                    }
                }
                seed(connection, database.dialect(), sizes, StoreSeeder::log);
            }
        }
    }

    private static void log(String message) {
        System.err.printf("[seed %tT] %s%n", System.currentTimeMillis(), message);
    }
}

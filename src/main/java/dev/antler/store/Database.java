package dev.antler.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.antler.config.DatabaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.sqlite.SQLiteConfig;

/**
 * The connection pool, migrations and the JDBI handle for one database.
 *
 * <p>SQLite runs in WAL mode with {@code BEGIN IMMEDIATE} transactions and a busy timeout: readers
 * never block, writers queue instead of failing with {@code SQLITE_BUSY} on a lock upgrade.
 */
public final class Database implements AutoCloseable {

    /** Store-wide locks are named {@code antler.<name>} in the database's lock namespace. */
    private static final String LOCK_PREFIX = "antler.";

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(Dialect dialect, HikariDataSource dataSource) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.jdbi = configured(Jdbi.create(dataSource));
    }

    private static Jdbi configured(Jdbi jdbi) {
        // No statement uses JDBI's <attribute> templates; both replace lexers that are slow on a cold JVM.
        jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP).setSqlParser(new NamedParameterSql());
        return jdbi;
    }

    /**
     * Runs one statement through JDBI on an in-memory SQLite database: the class loading and first-use set-up of the
     * driver, the pool-less JDBI path and the statement machinery, done beside the start's other work (a start on
     * the default embedded store then finds them ready; one on a server store only uses the JDBI part). Any failure
     * is ignored: {@link #open} does the same work and reports what fails.
     */
    public static void warmUp() {
        try {
            SqliteNativeLibrary.useCachedCopy();
            configured(Jdbi.create("jdbc:sqlite::memory:")).withHandle(h -> h.createQuery("SELECT :one").bind("one", 1).mapTo(Integer.class).one());
        } catch (RuntimeException | LinkageError e) {
            // only an optimisation (a native library that does not load fails again, and is reported, in open)
        }
    }

    public static Database open(DatabaseConfig config) {
        Dialect dialect = Dialect.of(config.url());
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl(config.url()));
        hikari.setPoolName("antler-db");
        hikari.setMaximumPoolSize(config.poolSize());
        if (config.username() != null) {
            hikari.setUsername(config.username());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        if (dialect == Dialect.POSTGRESQL) {
            // PostgreSQL compiles a statement it estimates as costly (a summary over a day of usage) to machine code
            // first: tens of milliseconds that the gateway's statements, each over in well under a second, never
            // win back.
            hikari.setConnectionInitSql("SET jit = off");
        }
        if (dialect == Dialect.SQLITE) {
            SqliteNativeLibrary.useCachedCopy();
            createParentDirectory(config.url());
            hikari.setDataSourceProperties(sqliteProperties());
            hikari.setMaximumPoolSize(Math.min(config.poolSize(), 4));
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dialect, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dialect, dataSource);
    }

    /**
     * The URL handed to the driver. The MariaDB driver, the only MySQL-protocol driver shipped, takes
     * {@code jdbc:mysql:} URLs only when they carry {@code permitMysqlScheme}.
     */
    static String jdbcUrl(String url) {
        if (url.startsWith("jdbc:mysql:") && !url.contains("permitMysqlScheme")) {
            return url + (url.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme";
        }
        return url;
    }

    /**
     * The newest migration version shipped (the same in every dialect folder; DatabaseTest checks it
     * against the files). Raise it with every new migration.
     */
    static final int SCHEMA_VERSION = 21;

    private static void migrate(Dialect dialect, DataSource dataSource) {
        int installed = installedVersion(dataSource);
        if (installed == SCHEMA_VERSION) {
            // Up to date: Flyway's classpath scan and validation would be a fifth of the start-up time.
            return;
        }
        if (installed > SCHEMA_VERSION) {
            throw new SchemaNewerThanBuild(installed);
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .loggers("slf4j")
                .load()
                .migrate();
    }

    /**
     * The store was migrated by a newer build. This one must not run on it: it would write usage rows without
     * the tables newer versions keep beside them (the usage roll-ups), and those would drift for good.
     */
    public static final class SchemaNewerThanBuild extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SchemaNewerThanBuild(int installed) {
            super("the store's schema is version " + installed + ", newer than this build's " + SCHEMA_VERSION);
        }
    }

    /** The highest successfully applied migration version, or -1 if none can be read (a new store). */
    private static int installedVersion(DataSource dataSource) {
        try {
            return readVersion(dataSource);
        } catch (SQLException | NumberFormatException e) {
            return -1;
        }
    }

    private static int readVersion(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            int highest = -1;
            while (rows.next()) {
                String version = rows.getString(1);
                if (version != null && rows.getBoolean(2) && version.chars().allMatch(Character::isDigit)) {
                    highest = Math.max(highest, Integer.parseInt(version));
                }
            }
            return highest;
        }
    }

    /** The store's schema version, read now (a readiness check); throws when the store cannot be reached. */
    public int schemaVersion() throws SQLException {
        return readVersion(dataSource);
    }

    /** The schema version this build migrates to. */
    public static int expectedSchemaVersion() {
        return SCHEMA_VERSION;
    }

    private static Properties sqliteProperties() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(30_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        return sqlite.toProperties();
    }

    /** The file of an SQLite URL; empty for an in-memory or {@code file:} URL, or another engine's. */
    public static Optional<Path> sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path));
    }

    private static void createParentDirectory(String url) {
        Optional<Path> file = sqliteFile(url);
        if (file.isEmpty()) {
            return;
        }
        Path parent = file.get().toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalStateException("database directory: " + parent + " (expected: writable)", e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs {@code work} holding the store-wide lock {@code name}: instances sharing a PostgreSQL or MySQL/MariaDB
     * store run it one at a time, each seeing what the one before it wrote. The lock belongs to a connection of its
     * own, outside the pool (PostgreSQL's advisory lock, MySQL's {@code GET_LOCK}), so {@code work} has the whole pool;
     * both are session locks, released when that connection closes — after {@code work}, or when an instance dies
     * holding it. SQLite serves one instance: {@code work} just runs.
     *
     * @throws LockBusy when another instance held the lock all through {@code wait}
     */
    public <T> T exclusively(String name, Duration wait, Supplier<T> work) {
        if (dialect == Dialect.SQLITE) {
            return work.get();
        }
        try (Connection lock = DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword())) {
            if (!take(lock, name, wait)) {
                throw new LockBusy(name, wait);
            }
            return work.get();
        } catch (SQLException e) {
            throw new IllegalStateException("store lock " + name + ": " + e.getMessage(), e);
        }
    }

    private boolean take(Connection connection, String name, Duration wait) throws SQLException {
        if (dialect == Dialect.MYSQL) {
            try (PreparedStatement get = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                get.setString(1, LOCK_PREFIX + name);
                get.setLong(2, Math.max(1, wait.toSeconds()));
                try (ResultSet taken = get.executeQuery()) {
                    return taken.next() && taken.getInt(1) == 1; // 0: timed out; NULL: an error
                }
            }
        }
        try (Statement timeout = connection.createStatement()) {
            timeout.execute("SET lock_timeout = " + Math.max(1, wait.toMillis()));
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
            lock.setString(1, LOCK_PREFIX + name);
            lock.execute();
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) { // lock_not_available: lock_timeout passed
                return false;
            }
            throw e;
        }
    }

    /** Another instance held a store-wide lock ({@link #exclusively}) for longer than the caller would wait. */
    public static final class LockBusy extends IllegalStateException {
        LockBusy(String name, Duration wait) {
            super("another instance has held the store's " + name + " lock for " + wait.toSeconds() + " s");
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

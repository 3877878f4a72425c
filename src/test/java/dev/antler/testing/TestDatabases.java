package dev.antler.testing;

import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh, isolated databases for store tests on every engine the store supports: SQLite in a temporary
 * file; PostgreSQL and MariaDB as a new database {@code antler_test_<random>} created through an admin
 * connection and dropped after the test class. Register it as a static field and run the test over
 * {@link Engine}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabases databases = new TestDatabases();
 *
 * @ParameterizedTest
 * @EnumSource(Engine.class)
 * void storesUsers(Engine engine) {
 *     Database database = databases.open(engine);   // one per class and engine, migrated
 * }
 * }</pre>
 *
 * <p>When a server is not reachable, the tests for its engine are skipped through a JUnit assumption
 * that says why; they never fail and never pass silently. Admin URLs default to the local servers and
 * can be overridden with {@code ANTLER_TEST_POSTGRES_URL} and {@code ANTLER_TEST_MARIADB_URL}
 * (credentials as {@code user} and {@code password} URL parameters).
 */
public final class TestDatabases implements AfterAllCallback {

    /** A database server the store runs on. */
    public enum Engine {
        SQLITE("SQLite", Dialect.SQLITE, null, null),
        POSTGRESQL("PostgreSQL", Dialect.POSTGRESQL, "ANTLER_TEST_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"),
        MARIADB("MariaDB", Dialect.MYSQL, "ANTLER_TEST_MARIADB_URL",
                "jdbc:mariadb://127.0.0.1:3306/test?user=root");

        private final String displayName;
        private final Dialect dialect;
        private final String urlVariable;
        private final String defaultUrl;

        Engine(String displayName, Dialect dialect, String urlVariable, String defaultUrl) {
            this.displayName = displayName;
            this.dialect = dialect;
            this.urlVariable = urlVariable;
            this.defaultUrl = defaultUrl;
        }

        public Dialect dialect() {
            return dialect;
        }

        String adminUrl() {
            String override = urlVariable == null ? null : System.getenv(urlVariable);
            return override == null || override.isBlank() ? defaultUrl : override;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    private static final int POOL_SIZE = 4;
    private static final int CONNECT_TIMEOUT_SECONDS = 2;

    /** What probing each engine's server found, once per JVM: {@link #REACHABLE} or why it is not. */
    private static final Map<Engine, String> PROBES = new ConcurrentHashMap<>();
    private static final String REACHABLE = "";

    private final Map<Engine, Database> shared = new EnumMap<>(Engine.class);
    private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();

    /**
     * The test class's database on {@code engine}, created and migrated on first use and shared by the
     * class's tests (which therefore use names of their own). Skips the test when the server is down.
     */
    public synchronized Database open(Engine engine) {
        Database database = shared.get(engine);
        if (database == null) {
            database = openFresh(engine);
            shared.put(engine, database);
        }
        return database;
    }

    /** A new, migrated database of its own; closed and dropped after the class. */
    public synchronized Database openFresh(Engine engine) {
        Database database = Database.open(create(engine));
        cleanups.push(database);
        return database;
    }

    /**
     * The configuration of a new, empty database (no migration run yet): for tests of opening and
     * re-opening. Whatever opens it must close it; the database is dropped after the class.
     */
    public synchronized DatabaseConfig create(Engine engine) {
        if (engine == Engine.SQLITE) {
            return createSqlite();
        }
        String adminUrl = engine.adminUrl();
        assumeReachable(engine, adminUrl);
        String name = "antler_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(adminUrl, "CREATE DATABASE " + name);
        cleanups.push(() -> execute(adminUrl, engine == Engine.POSTGRESQL
                ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
                : "DROP DATABASE IF EXISTS " + name));
        return config(withDatabase(adminUrl, name));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        shared.clear();
        Exception failure = null;
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private DatabaseConfig createSqlite() {
        try {
            Path directory = Files.createTempDirectory("antler-store-test-");
            cleanups.push(() -> deleteRecursively(directory));
            return new DatabaseConfig("jdbc:sqlite:" + directory.resolve("antler.db"), null, null, POOL_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assumeReachable(Engine engine, String adminUrl) {
        String reason = PROBES.computeIfAbsent(engine, e -> probe(adminUrl));
        Assumptions.assumeTrue(reason.equals(REACHABLE), () -> engine + " not reachable at " + hostAndPort(adminUrl)
                + ": " + reason + "; store tests for it skipped");
    }

    private static String probe(String adminUrl) {
        try (Connection connection = connect(adminUrl)) {
            return connection.isValid(CONNECT_TIMEOUT_SECONDS) ? REACHABLE : "connection not valid";
        } catch (SQLException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }

    /** The server's name for {@code database}, for {@link #killConnections}. */
    public static String nameOf(Engine engine, Database database) {
        return database.jdbi().withHandle(h -> h.createQuery(engine == Engine.POSTGRESQL
                ? "SELECT current_database()" : "SELECT DATABASE()").mapTo(String.class).one());
    }

    /**
     * Ends every server connection to the database {@code name} from outside, as a database restart or a network cut
     * would: the pool's connections fail on their next use (and in the middle of a transaction). Returns how
     * many were ended.
     */
    public int killConnections(Engine engine, String name) {
        try (Connection admin = connect(engine.adminUrl())) {
            if (engine == Engine.POSTGRESQL) {
                try (var query = admin.prepareStatement("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = ? AND pid <> pg_backend_pid()")) {
                    query.setString(1, name);
                    try (var rows = query.executeQuery()) {
                        rows.next();
                        return rows.getInt(1);
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            try (var query = admin.prepareStatement("SELECT id FROM information_schema.processlist WHERE db = ?")) {
                query.setString(1, name);
                try (var rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            int killed = 0;
            for (long id : ids) {
                try (Statement kill = admin.createStatement()) {
                    kill.execute("KILL CONNECTION " + id);
                    killed++;
                } catch (SQLException gone) {
                    // ended by itself meanwhile
                }
            }
            return killed;
        } catch (SQLException e) {
            throw new IllegalStateException("killing connections to " + name + ": " + e.getMessage(), e);
        }
    }

    private static void execute(String adminUrl, String sql) {
        try (Connection connection = connect(adminUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement: " + sql + " on " + hostAndPort(adminUrl)
                    + " (expected: to succeed): " + e.getMessage(), e);
        }
    }

    /** A connection that gives up after about two seconds when the server does not answer. */
    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        if (url.startsWith("jdbc:postgresql:")) {
            properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        } else {
            properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
        }
        return DriverManager.getConnection(url, properties);
    }

    /** The store's configuration for {@code url}, with {@code user} and {@code password} moved out of it. */
    static DatabaseConfig config(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return new DatabaseConfig(url, null, null, POOL_SIZE);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : url.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (!pair.isEmpty()) {
                String name = equals < 0 ? pair : pair.substring(0, equals);
                parameters.put(name, equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        String user = parameters.remove("user");
        String password = parameters.remove("password");
        StringBuilder rest = new StringBuilder(url.substring(0, query));
        String separator = "?";
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            rest.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = "&";
        }
        return new DatabaseConfig(rest.toString(), user, password, POOL_SIZE);
    }

    /** {@code url} with its database replaced by {@code database}: {@code jdbc:x://host:port/database?params}. */
    static String withDatabase(String url, String database) {
        int authority = url.indexOf("//") + 2;
        int query = url.indexOf('?', authority);
        if (query < 0) {
            query = url.length();
        }
        int slash = url.indexOf('/', authority);
        if (slash < 0 || slash > query) {
            slash = query;
        }
        return url.substring(0, slash) + "/" + database + url.substring(query);
    }

    static String hostAndPort(String url) {
        int authority = url.indexOf("//") + 2;
        int end = authority;
        while (end < url.length() && url.charAt(end) != '/' && url.charAt(end) != '?') {
            end++;
        }
        return url.substring(authority, end);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.config.DatabaseConfig;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final List<String> TABLES = List.of(
            "settings", "user_groups", "users", "api_keys", "channels", "prices", "ledger", "usage_logs",
            "key_limits", "user_limits");

    @ParameterizedTest
    @EnumSource(Engine.class)
    void migratesAnEmptyDatabaseThenReopensItWithoutMigratingAgain(Engine engine) {
        DatabaseConfig config = databases.create(engine);
        List<String> history;
        try (Database database = Database.open(config)) {
            assertThat(database.dialect()).isEqualTo(engine.dialect());
            history = history(database);
            // Every migration of the dialect ran, V1 first; each later issue adds its own version.
            assertThat(history).isNotEmpty().first().asString().startsWith("1 init V1__init.sql true ");
            assertThat(history).allMatch(row -> row.contains(" true "));
            assertThat(history).anyMatch(row -> row.startsWith("2 tasks V2__tasks.sql true "));
            assertThat(history).anyMatch(row -> row.startsWith("3 channel health V3__channel_health.sql true "));
            assertThat(history).anyMatch(row -> row.startsWith("4 limits V4__limits.sql true "));
            for (String table : TABLES) {
                assertThat(rows(database, table)).as("rows in %s", table).isZero();
            }
        }
        try (Database database = Database.open(config)) {
            assertThat(history(database)).isEqualTo(history);
            assertThat(Flyway.configure().dataSource(database.dataSource())
                    .locations(engine.dialect().migrationLocation()).load().info().pending()).isEmpty();
        }
    }

    @Test
    void refusesAStoreMigratedByANewerBuild() {
        DatabaseConfig config = databases.create(Engine.SQLITE);
        try (Database database = Database.open(config)) {
            database.jdbi().useHandle(h -> h.execute("UPDATE flyway_schema_history SET version = '"
                    + (Database.SCHEMA_VERSION + 1) + "' WHERE version = '" + Database.SCHEMA_VERSION + "'"));
        }
        assertThatThrownBy(() -> Database.open(config)).isInstanceOf(Database.SchemaNewerThanBuild.class)
                .hasMessageContaining("version " + (Database.SCHEMA_VERSION + 1) + ", newer than this build's "
                        + Database.SCHEMA_VERSION);
    }

    @Test
    void schemaVersionIsTheNewestMigrationOfEveryDialect() throws Exception {
        for (String folder : List.of("sqlite", "postgresql", "mysql")) {
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration", folder))) {
                int newest = files.map(f -> f.getFileName().toString())
                        .filter(name -> name.matches("V\\d+__.*\\.sql"))
                        .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                        .max().orElseThrow();
                assertThat(newest).as("newest migration in %s (Database.SCHEMA_VERSION must follow it)", folder)
                        .isEqualTo(Database.SCHEMA_VERSION);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesConcurrentConnectionsFromItsPool(Engine engine) {
        Database database = databases.open(engine);
        List<Long> counts = IntStream.range(0, 8).parallel()
                .mapToObj(i -> rows(database, "users")).toList();
        assertThat(counts).containsOnly(0L);
    }

    @Test
    void opensAMysqlSchemeUrlWithTheMariaDbDriver() {
        DatabaseConfig mariadb = databases.create(Engine.MARIADB);
        DatabaseConfig mysql = new DatabaseConfig(mariadb.url().replace("jdbc:mariadb:", "jdbc:mysql:"),
                mariadb.username(), mariadb.password(), mariadb.poolSize());
        try (Database database = Database.open(mysql)) {
            assertThat(database.dialect()).isEqualTo(Dialect.MYSQL);
            assertThat(history(database)).isNotEmpty().allMatch(row -> row.contains(" true "));
        }
    }

    @Test
    void postgresqlConnectionsCompileNoStatementToMachineCode() {
        Database database = databases.open(Engine.POSTGRESQL);
        List<Handle> handles = IntStream.range(0, 3).mapToObj(i -> database.jdbi().open()).toList(); // 3 connections
        try {
            assertThat(handles).allSatisfy(h ->
                    assertThat(h.createQuery("SHOW jit").mapTo(String.class).one()).isEqualTo("off"));
        } finally {
            handles.forEach(Handle::close);
        }
    }

    /** Version, description, script, success, checksum and time of each applied migration. */
    private static List<String> history(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT version, description, script, success, checksum, "
                        + "installed_on FROM flyway_schema_history ORDER BY installed_rank")
                .map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getBoolean(4) + " " + rs.getInt(5) + " " + rs.getString(6))
                .list());
    }

    /**
     * A store-wide lock is held by one instance at a time: another waits for it, gives up with {@code LockBusy} after
     * its wait, and takes it once released (also when the holder's work failed).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aStoreWideLockIsHeldByOneInstanceAtATime(Engine engine) throws Exception {
        DatabaseConfig config = databases.create(engine);
        try (Database first = Database.open(config); Database second = Database.open(config)) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> first.exclusively("test",
                    Duration.ofSeconds(5), () -> {
                        held.countDown();
                        await(release);
                        return "first";
                    }));
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> second.exclusively("test", Duration.ofSeconds(1), () -> "second"))
                    .isInstanceOf(Database.LockBusy.class)
                    .hasMessage("another instance has held the store's test lock for 1 s");
            assertThat(second.exclusively("other", Duration.ofSeconds(1), () -> "another lock is free"))
                    .isEqualTo("another lock is free");

            CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> second.exclusively("test",
                    Duration.ofSeconds(10), () -> "second"));
            Thread.sleep(300);
            assertThat(waiter).as("waits while the first holds it").isNotDone();
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("second");

            assertThatThrownBy(() -> first.exclusively("test", Duration.ofSeconds(1), () -> {
                throw new IllegalStateException("the work failed");
            })).hasMessage("the work failed");
            assertThat(second.exclusively("test", Duration.ofSeconds(1), () -> "released after a failure"))
                    .isEqualTo("released after a failure");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long rows(Database database, String table) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                .mapTo(Long.class).one());
    }
}

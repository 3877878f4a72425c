package dev.antler.testing;

import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Rebuilds the usage roll-ups (hourly from the usage log, then daily from the hourly tables) for stores whose rows
 * were written straight into {@code usage_logs} (seeders, tests) rather than by the ledger writer, which keeps them
 * in step itself. Runs the backfill statements of the migrations that created the roll-ups, so there is one
 * definition of each.
 */
public final class UsageRollups {

    /** A migration that created roll-up tables, and those tables. */
    private record Backfill(String migration, List<String> tables) {}

    /** In the order the backfills must run: each reads what the one before filled. */
    private static final List<Backfill> BACKFILLS = List.of(
            new Backfill("V18__usage_rollup.sql", List.of("usage_hourly", "usage_user_hourly")),
            new Backfill("V20__usage_daily.sql", List.of("usage_daily", "usage_user_daily")));

    private UsageRollups() {}

    public static void rebuild(Database database) {
        try (Handle handle = database.jdbi().open()) {
            rebuild(handle.getConnection(), database.dialect());
        } catch (SQLException e) {
            throw new IllegalStateException("usage roll-up rebuild failed: " + e.getMessage(), e);
        }
    }

    public static void rebuild(Connection connection, Dialect dialect) throws SQLException {
        String folder = dialect.migrationLocation().substring("classpath:".length());
        try (Statement s = connection.createStatement()) {
            for (Backfill backfill : BACKFILLS) {
                for (String table : backfill.tables()) {
                    s.execute("DELETE FROM " + table);
                }
                for (String statement : script(folder + "/" + backfill.migration()).split(";")) {
                    String sql = statement.strip();
                    int insert = sql.indexOf("INSERT INTO");
                    if (insert >= 0) {
                        s.execute(sql.substring(insert));
                    }
                }
            }
            if (dialect == Dialect.POSTGRESQL) {
                // A live store's writer adds each hour's cells as the hour passes, so PostgreSQL's heap holds them in
                // time order (SQLite and MySQL keep rows in key order, which starts with the hour): the same here.
                s.execute("CLUSTER usage_user_hourly USING usage_user_hourly_pkey");
            }
        }
    }

    private static String script(String path) {
        try (InputStream in = UsageRollups.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + ": not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }
}

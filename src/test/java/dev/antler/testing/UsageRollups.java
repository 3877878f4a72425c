package dev.antler.testing;

import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;

/**
 * Rebuilds the hourly usage roll-up from the usage log for stores whose rows were written straight into
 * {@code usage_logs} (seeders, tests) rather than by the ledger writer, which keeps it in step itself. Runs the
 * backfill statements of the migration that created the roll-up, so there is one definition of it.
 */
public final class UsageRollups {

    private static final String MIGRATION = "V18__usage_rollup.sql";

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
        String script;
        try (InputStream in = UsageRollups.class.getClassLoader().getResourceAsStream(folder + "/" + MIGRATION)) {
            if (in == null) {
                throw new IllegalStateException(folder + "/" + MIGRATION + ": not on the class path");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(MIGRATION + ": " + e.getMessage(), e);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM usage_hourly");
            s.execute("DELETE FROM usage_user_hourly");
            for (String statement : script.split(";")) {
                String sql = statement.strip();
                int insert = sql.indexOf("INSERT INTO");
                if (insert >= 0) {
                    s.execute(sql.substring(insert));
                }
            }
        }
    }
}

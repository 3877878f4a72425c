package dev.antler.testing;

import dev.antler.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The secondary indexes of tables about to receive millions of rows, dropped before the load and created
 * again from their own stored definitions after it (one sort per index instead of millions of B-tree
 * insertions). SQLite and PostgreSQL; on MySQL/MariaDB the indexes stay and are maintained row by row.
 * A load that dies half-way leaves the tables without these indexes: seed a store nobody depends on.
 */
final class BulkIndexes {

    private final Connection connection;
    private final Map<String, String> definitions;

    private BulkIndexes(Connection connection, Map<String, String> definitions) {
        this.connection = connection;
        this.definitions = definitions;
    }

    static BulkIndexes drop(Connection connection, Dialect dialect, String... tables) throws SQLException {
        Map<String, String> definitions = new LinkedHashMap<>();
        String query = switch (dialect) {
            case SQLITE -> "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL";
            case POSTGRESQL -> "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ? "
                    + "AND i.schemaname = current_schema() "
                    + "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)";
            case MYSQL -> null;
        };
        if (query != null) {
            try (PreparedStatement select = connection.prepareStatement(query)) {
                for (String table : tables) {
                    select.setString(1, table);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            definitions.put(rows.getString(1), rows.getString(2));
                        }
                    }
                }
            }
            try (Statement s = connection.createStatement()) {
                for (String name : definitions.keySet()) {
                    s.execute("DROP INDEX " + name);
                }
            }
            connection.commit();
        }
        return new BulkIndexes(connection, definitions);
    }

    void restore(Consumer<String> progress) throws SQLException {
        List<String> names = new ArrayList<>(definitions.keySet());
        try (Statement s = connection.createStatement()) {
            for (String name : names) {
                long t0 = System.nanoTime();
                s.execute(definitions.get(name));
                connection.commit();
                progress.accept(String.format("index %s rebuilt in %.1f s", name, (System.nanoTime() - t0) / 1e9));
            }
        }
    }
}

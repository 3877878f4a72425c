package dev.antler.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts many rows into one table with multi-row {@code INSERT ... VALUES (...), (...)} statements of
 * up to {@code chunkRows} rows each, on every dialect.
 *
 * <p>Cheaper than a JDBC batch of one-row inserts: SQLite runs one statement per chunk instead of one
 * per row (with {@code AUTOINCREMENT}, each statement also reads and rewrites the table's sequence
 * row), and its driver does not buffer every parameter of the batch before binding it.
 *
 * @param <T> the row type
 */
public final class MultiRowInsert<T> {

    /** Binds one row's values to {@code columns} parameters, the first at index {@code first}. */
    @FunctionalInterface
    public interface RowBinder<T> {
        void bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    private final String table;
    private final String columns;
    private final int columnCount;
    private final int chunkRows;
    private final RowBinder<T> binder;
    private final String fullChunkSql;

    /**
     * @param columns   comma-separated column names, bound in this order
     * @param chunkRows rows per statement; keep {@code chunkRows * columns} well under the engines'
     *                  parameter limits (SQLite 32766, PostgreSQL and MySQL 65535)
     */
    public MultiRowInsert(String table, String columns, int chunkRows, RowBinder<T> binder) {
        this.table = requireNonNull(table, "table");
        this.columns = requireNonNull(columns, "columns");
        this.columnCount = columns.split(",").length;
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows: " + chunkRows + " (expected: > 0)");
        }
        this.chunkRows = chunkRows;
        this.binder = requireNonNull(binder, "binder");
        this.fullChunkSql = sql(chunkRows);
    }

    /** Inserts {@code rows} in order through {@code connection}, within the caller's transaction. */
    public void insert(Connection connection, List<T> rows) throws SQLException {
        int full = rows.size() / chunkRows * chunkRows;
        if (full > 0) {
            try (PreparedStatement statement = connection.prepareStatement(fullChunkSql)) {
                for (int start = 0; start < full; start += chunkRows) {
                    execute(statement, rows, start, chunkRows);
                }
            }
        }
        int rest = rows.size() - full;
        if (rest > 0) {
            try (PreparedStatement statement = connection.prepareStatement(sql(rest))) {
                execute(statement, rows, full, rest);
            }
        }
    }

    private void execute(PreparedStatement statement, List<T> rows, int start, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            binder.bind(statement, 1 + i * columnCount, rows.get(start + i));
        }
        statement.executeUpdate();
    }

    private String sql(int rowCount) {
        String row = "(?" + ", ?".repeat(columnCount - 1) + ")";
        StringBuilder sql = new StringBuilder(table.length() + columns.length() + 32 + rowCount * (row.length() + 2))
                .append("INSERT INTO ").append(table).append(" (").append(columns).append(") VALUES ").append(row);
        for (int i = 1; i < rowCount; i++) {
            sql.append(", ").append(row);
        }
        return sql.toString();
    }
}

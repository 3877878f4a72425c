package dev.antler.store;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts many rows into one table with multi-row {@code INSERT ... VALUES (...), (...)} statements, on
 * every dialect.
 *
 * <p>Cheaper than a JDBC batch of one-row inserts: SQLite runs one statement per chunk instead of one
 * per row (with {@code AUTOINCREMENT}, each statement also reads and rewrites the table's sequence
 * row), and its driver does not buffer every parameter of the batch before binding it. Chunks hold a
 * power of two rows, up to {@code maxChunkRows}, so a caller that keeps its prepared statements needs
 * only a few shapes.
 *
 * @param <T> the row type
 */
public final class MultiRowInsert<T> {

    /** Binds one row's values to the table's columns, the first at parameter index {@code first}. */
    @FunctionalInterface
    public interface RowBinder<T> {
        void bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    private final int columnCount;
    private final RowBinder<T> binder;
    /** The statement for 2^i rows at index i, largest last. */
    private final String[] sqlByPower;

    /**
     * @param columns      comma-separated column names, bound in this order
     * @param maxChunkRows most rows per statement, a power of two; keep {@code maxChunkRows * columns}
     *                     well under the engines' parameter limits (SQLite 32766, PostgreSQL and MySQL 65535)
     */
    public MultiRowInsert(String table, String columns, int maxChunkRows, RowBinder<T> binder) {
        requireNonNull(table, "table");
        requireNonNull(columns, "columns");
        if (maxChunkRows < 1 || Integer.bitCount(maxChunkRows) != 1) {
            throw new IllegalArgumentException("maxChunkRows: " + maxChunkRows + " (expected: a power of two)");
        }
        this.columnCount = columns.split(",").length;
        this.binder = requireNonNull(binder, "binder");
        this.sqlByPower = new String[Integer.numberOfTrailingZeros(maxChunkRows) + 1];
        String row = "(?" + ", ?".repeat(columnCount - 1) + ")";
        for (int i = 0; i < sqlByPower.length; i++) {
            String head = "INSERT INTO " + table + " (" + columns + ") VALUES ";
            sqlByPower[i] = head + (row + ", ").repeat((1 << i) - 1) + row;
        }
    }

    /** Inserts {@code rows} in order, with statements from {@code statements} (the caller's transaction). */
    public void insert(StatementSource statements, List<T> rows) throws SQLException {
        int start = 0;
        for (int i = sqlByPower.length - 1; i >= 0; i--) {
            int chunk = 1 << i;
            if (rows.size() - start < chunk) {
                continue;
            }
            PreparedStatement statement = statements.prepare(sqlByPower[i]);
            for (; rows.size() - start >= chunk; start += chunk) {
                for (int r = 0; r < chunk; r++) {
                    binder.bind(statement, 1 + r * columnCount, rows.get(start + r));
                }
                statement.executeUpdate();
            }
        }
    }
}

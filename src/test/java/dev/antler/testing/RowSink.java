package dev.antler.testing;

import dev.antler.store.Dialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk rows into one table for {@link StoreSeeder}: {@code COPY ... FROM STDIN} on PostgreSQL, multi-row
 * {@code INSERT}s elsewhere. Commits every {@link #COMMIT_ROWS} rows so a load of millions of rows does not
 * grow one transaction (or SQLite's write-ahead log) without bound; reports progress every few seconds.
 */
abstract class RowSink implements AutoCloseable {

    static final int COMMIT_ROWS = 250_000;
    private static final long REPORT_NANOS = 5_000_000_000L;

    final Connection connection;
    final String table;
    final String columns;
    final int width;
    private final Consumer<String> progress;
    private final long started = System.nanoTime();
    private long lastReport = started;
    private long rows;
    private long uncommitted;

    RowSink(Connection connection, String table, String columns, Consumer<String> progress) {
        this.connection = connection;
        this.table = table;
        this.columns = columns;
        this.width = columns.split(",").length;
        this.progress = progress;
    }

    static RowSink open(Connection connection, Dialect dialect, String table, String columns,
                        Consumer<String> progress) {
        return dialect == Dialect.POSTGRESQL ? new Copy(connection, table, columns, progress)
                : new MultiRowInsert(connection, table, columns, progress);
    }

    /** One row, its values in the order of the columns (Long, Integer, String or null). */
    final void add(Object... values) throws SQLException {
        if (values.length != width) {
            throw new IllegalArgumentException(table + ": " + values.length + " values (expected: " + width + ")");
        }
        write(values);
        rows++;
        if (++uncommitted >= COMMIT_ROWS) {
            flush();
            connection.commit();
            uncommitted = 0;
            long now = System.nanoTime();
            if (now - lastReport >= REPORT_NANOS) {
                lastReport = now;
                progress.accept(String.format("%s: %,d rows (%,.0f rows/s)", table, rows,
                        rows / ((now - started) / 1e9)));
            }
        }
    }

    @Override
    public final void close() throws SQLException {
        flush();
        connection.commit();
        progress.accept(String.format("%s: %,d rows in %.1f s", table, rows, (System.nanoTime() - started) / 1e9));
    }

    abstract void write(Object[] values) throws SQLException;

    abstract void flush() throws SQLException;

    /** Multi-row INSERT statements, prepared once per row count. */
    private static final class MultiRowInsert extends RowSink {

        private final int perStatement;
        private final Object[] buffer;
        private int buffered;
        private PreparedStatement full;

        MultiRowInsert(Connection connection, String table, String columns, Consumer<String> progress) {
            super(connection, table, columns, progress);
            this.perStatement = Math.max(1, Math.min(500, 30_000 / width)); // SQLite: at most 32,766 parameters
            this.buffer = new Object[perStatement * width];
        }

        @Override
        void write(Object[] values) throws SQLException {
            System.arraycopy(values, 0, buffer, buffered * width, width);
            if (++buffered == perStatement) {
                if (full == null) {
                    full = connection.prepareStatement(sql(perStatement));
                }
                execute(full, perStatement);
            }
        }

        @Override
        void flush() throws SQLException {
            if (buffered > 0) {
                try (PreparedStatement rest = connection.prepareStatement(sql(buffered))) {
                    execute(rest, buffered);
                }
            }
        }

        private void execute(PreparedStatement statement, int count) throws SQLException {
            for (int i = 0; i < count * width; i++) {
                Object value = buffer[i];
                if (value == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            statement.executeUpdate();
            buffered = 0;
        }

        private String sql(int count) {
            String row = "(" + "?, ".repeat(width - 1) + "?)";
            return "INSERT INTO " + table + " (" + columns + ") VALUES " + (row + ", ").repeat(count - 1) + row;
        }
    }

    /** PostgreSQL's COPY in text format, sent in chunks of a few MB. */
    private static final class Copy extends RowSink {

        private static final int CHUNK_CHARS = 4 << 20;
        private final StringBuilder text = new StringBuilder(CHUNK_CHARS + 4096);
        private CopyIn copy;

        Copy(Connection connection, String table, String columns, Consumer<String> progress) {
            super(connection, table, columns, progress);
        }

        @Override
        void write(Object[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                Object v = values[i];
                if (v == null) {
                    text.append("\\N");
                } else if (v instanceof String s) {
                    escape(s);
                } else {
                    text.append(v);
                }
            }
            text.append('\n');
            if (text.length() >= CHUNK_CHARS) {
                send();
            }
        }

        private void escape(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
        }

        private void send() throws SQLException {
            if (text.isEmpty()) {
                return;
            }
            if (copy == null) {
                try {
                    copy = connection.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
                } catch (RuntimeException e) {
                    throw new SQLException(table + ": COPY could not start: " + e.getMessage(), e);
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }

        @Override
        void flush() throws SQLException {
            send();
            if (copy != null) {
                copy.endCopy();
                copy = null;
            }
        }
    }
}

package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.sql.Types;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MultiRowInsertTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private record Row(int n, String text) {}

    private static final MultiRowInsert<Row> ROWS = new MultiRowInsert<>("multi_row_test", "n, text", 8,
            (statement, first, row) -> {
                statement.setInt(first, row.n());
                if (row.text() == null) {
                    statement.setNull(first + 1, Types.VARCHAR);
                } else {
                    statement.setString(first + 1, row.text());
                }
            });

    @ParameterizedTest
    @EnumSource(Engine.class)
    void insertsEveryRowWithChunksOfAPowerOfTwoAndKeptStatements(Engine engine) throws Exception {
        Database database = databases.openFresh(engine);
        database.jdbi().useHandle(h -> h.execute("CREATE TABLE multi_row_test (n INTEGER NOT NULL, text VARCHAR(16))"));
        StatementCache statements = new StatementCache(engine.dialect());
        int total = 0;
        // 0 rows, one row, a full chunk, and sizes that need each smaller chunk; twice, so kept statements are reused.
        for (int size : List.of(0, 1, 8, 15, 21, 0, 1, 8, 15, 21)) {
            int from = total;
            List<Row> rows = IntStream.range(from, from + size).mapToObj(n -> new Row(n, n % 3 == 0 ? null : "r" + n))
                    .toList();
            database.jdbi().useTransaction(h -> {
                StatementSource source = statements.begin(h.getConnection());
                try {
                    ROWS.insert(source, rows);
                } finally {
                    statements.end(false);
                }
            });
            total += size;
        }

        List<String> stored = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT n, text FROM multi_row_test ORDER BY n")
                .map((rs, ctx) -> rs.getInt(1) + ":" + rs.getString(2)).list());
        assertThat(stored).containsExactlyElementsOf(
                IntStream.range(0, total).mapToObj(n -> n + ":" + (n % 3 == 0 ? null : "r" + n)).toList());
    }
}

package dev.antler.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamedParameterSqlTest {

    /** The same SQL and parameters as JDBI's own parser of the same syntax. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id FROM users WHERE name = :name",
            "UPDATE channels SET type = :type, base_url = :url WHERE name = :name",
            "INSERT INTO t (a, b) VALUES (?, ?)",
            "SELECT * FROM tasks WHERE submitted_at < :cutoff ORDER BY id LIMIT :limit",
            "SELECT x::text, y FROM t WHERE z = :z::bigint",
            "SELECT ':not_a_param', \"col:umn\" FROM t WHERE a = :a",
            "SELECT 'it''s', 'a\\'b :c' FROM t WHERE a = :a_1.b$c",
            "SELECT /* :comment ? */ a FROM t WHERE b = ? AND c ?? d",
            "SELECT a FROM t WHERE b = :b AND c = \\:d",
            "SELECT a FROM t WHERE b := 1 AND c = :",
            "SELECT 'unclosed :a",
            "SELECT /* unclosed :a",
            "SELECT \"\" FROM t WHERE a = :é",
            "SELECT a FROM t WHERE b = :x?.y",
            "",
    })
    void parsesAsJdbiDoes(String sql) {
        var expected = new ColonPrefixSqlParser().parse(sql, null);
        var actual = new NamedParameterSql().parse(sql, null);
        assertEquals(expected.getSql(), actual.getSql());
        assertEquals(expected.getParameters(), actual.getParameters());
    }
}

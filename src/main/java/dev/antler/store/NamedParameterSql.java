package dev.antler.store;

import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * JDBI's {@code :name} parameter syntax, read by a plain scan instead of JDBI's generated lexer: on a cold
 * JVM that lexer built its state machine while the first statements ran, half the time of seeding the store
 * at start-up (issue 7). Same rules: {@code :name} (letters, digits, {@code _ $ .}) is a named parameter and
 * {@code ?} a positional one; {@code ::} and {@code ??} stay as they are; quoted text and comments are
 * copied untouched; a backslash outside them escapes the next character. A scan is cheap: nothing is cached.
 */
final class NamedParameterSql implements SqlParser {

    @Override
    public ParsedSql parse(String sql, StatementContext ctx) {
        ParsedSql.Builder parsed = ParsedSql.builder();
        int length = sql.length();
        int literalStart = 0;
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = endOfQuoted(sql, i, c);
            } else if (c == '/' && sql.startsWith("/*", i)) {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? i + 1 : end + 2; // unclosed: a plain character, as in JDBI
            } else if ((c == ':' || c == '?') && i + 1 < length && sql.charAt(i + 1) == c) {
                end = i + 2; // "::" (a PostgreSQL cast) and "??" are text
            } else if (c == ':' && i + 1 < length && isNameChar(sql, i + 1)) {
                end = endOfName(sql, i + 1);
                parsed.append(sql.substring(literalStart, i)).appendNamedParameter(sql.substring(i + 1, end));
                literalStart = i = end;
                continue;
            } else if (c == '?') {
                parsed.append(sql.substring(literalStart, i)).appendPositionalParameter();
                literalStart = i = i + 1;
                continue;
            } else if (c == '\\' && i + 1 < length) {
                parsed.append(sql.substring(literalStart, i));
                literalStart = i + 1; // the escaped character stays, the backslash goes
                end = i + 2;
            } else {
                end = i + 1;
            }
            i = end;
        }
        return parsed.append(sql.substring(literalStart)).build();
    }

    @Override
    public String nameParameter(String rawName, StatementContext ctx) {
        return ":" + rawName;
    }

    /**
     * The index after the quote closing the one at {@code start} (a backslash escapes a single quote), or
     * just after {@code start} when it is never closed: then it is a plain character, as in JDBI.
     */
    private static int endOfQuoted(String sql, int start, char quote) {
        for (int i = start + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote == '\'' && c == '\\' && i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return start + 1;
    }

    private static int endOfName(String sql, int start) {
        int i = start;
        while (i < sql.length() && isNameChar(sql, i)) {
            i += sql.charAt(i) == '?' ? 2 : 1;
        }
        return i;
    }

    /** Letters, digits, {@code _ $ .}, any non-ASCII character, and {@code ?.} (JDBI's null-safe path). */
    private static boolean isNameChar(String sql, int i) {
        char c = sql.charAt(i);
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'
                || c == '.' || c >= 128 || c == '?' && i + 1 < sql.length() && sql.charAt(i + 1) == '.';
    }
}

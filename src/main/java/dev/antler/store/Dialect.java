package dev.antler.store;

/** The SQL dialects the store runs on; each has its own migration folder. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql"),
    MYSQL("mysql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /**
     * The clause that turns an {@code INSERT} into an upsert on a conflict over {@code keyColumns}; the assignments
     * follow it, reading the row proposed by the insert through {@link #proposed}.
     */
    public String onConflict(String keyColumns) {
        return this == MYSQL ? " ON DUPLICATE KEY UPDATE " : " ON CONFLICT (" + keyColumns + ") DO UPDATE SET ";
    }

    /** {@code column}'s value in the row an upsert's {@code INSERT} proposed (see {@link #onConflict}). */
    public String proposed(String column) {
        return this == MYSQL ? "VALUES(" + column + ")" : "excluded." + column;
    }

    /** {@code expression} as a 64-bit integer (PostgreSQL sums integers as NUMERIC). */
    public String integer(String expression) {
        return switch (this) {
            case SQLITE -> expression;
            case POSTGRESQL -> "CAST(" + expression + " AS BIGINT)";
            case MYSQL -> "CAST(" + expression + " AS SIGNED)";
        };
    }

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("database.url: " + jdbcUrl
                + " (expected: jdbc:sqlite:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:)");
    }
}

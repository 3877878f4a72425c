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

package dev.antler.config;

/**
 * The store. {@code jdbc:sqlite:...} (default, embedded), {@code jdbc:postgresql://...},
 * {@code jdbc:mysql://...} or {@code jdbc:mariadb://...}.
 */
public record DatabaseConfig(String url, String username, String password, Integer poolSize) {

    public static final String DEFAULT_URL = "jdbc:sqlite:data/antler.db";

    public DatabaseConfig {
        url = url == null || url.isBlank() ? DEFAULT_URL : url;
        poolSize = poolSize == null ? 8 : poolSize;
        if (poolSize <= 0) {
            throw new IllegalArgumentException("database.pool_size: " + poolSize + " (expected: > 0)");
        }
    }

    public static DatabaseConfig defaults() {
        return new DatabaseConfig(null, null, null, null);
    }
}

package dev.antler.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Redis, shared by several gateway instances for their limits and balance holds; off when {@code url} is absent
 * (a single instance needs none).
 *
 * @param url        {@code redis://[user:password@]host:port/db} or {@code rediss://...}; absent: off
 * @param keyPrefix  prefix of every key the gateway writes (default {@code antler:}), so one Redis can serve
 *                   several gateways or other programs
 * @param timeoutMs  longest wait for one Redis answer (default 250); past it the request is admitted on this
 *                   instance's own limits; Redis counts as down only when answers stay late (see
 *                   {@code RedisVerdict} in the redis package)
 * @param poolSize   connections kept to Redis (default 8)
 * @param leaseMs    how long a request in flight holds its concurrency slot, daily-spend and balance holds without being
 *                   renewed (default 30000): renewed every third of it while the request runs, so the slots and
 *                   holds of an instance that died are freed within this time
 * @param retryMs    while Redis is down, how often it is tried again (default 1000)
 */
public record RedisConfig(String url, String keyPrefix, Long timeoutMs, Integer poolSize, Long leaseMs,
                          Long retryMs) {

    public RedisConfig {
        url = url == null || url.isBlank() ? null : url.strip();
        keyPrefix = keyPrefix == null ? "antler:" : keyPrefix;
        timeoutMs = timeoutMs == null ? 250L : timeoutMs;
        poolSize = poolSize == null ? 8 : poolSize;
        leaseMs = leaseMs == null ? 30_000L : leaseMs;
        retryMs = retryMs == null ? 1_000L : retryMs;
        if (url != null) {
            checkUrl(url);
        }
        if (timeoutMs < 1 || timeoutMs > 60_000) {
            throw new IllegalArgumentException("redis.timeout_ms: " + timeoutMs + " (expected: 1 to 60000)");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("redis.pool_size: " + poolSize + " (expected: >= 1)");
        }
        if (leaseMs < 3_000) {
            throw new IllegalArgumentException("redis.lease_ms: " + leaseMs + " (expected: >= 3000)");
        }
        if (retryMs < 10) {
            throw new IllegalArgumentException("redis.retry_ms: " + retryMs + " (expected: >= 10)");
        }
    }

    public static RedisConfig defaults() {
        return new RedisConfig(null, null, null, null, null, null);
    }

    public boolean enabled() {
        return url != null;
    }

    /** The URL without its password, for logs and health answers. */
    public String safeUrl() {
        if (url == null) {
            return "";
        }
        URI parsed = URI.create(url);
        return parsed.getScheme() + "://" + parsed.getHost() + ":" + (parsed.getPort() < 0 ? 6379 : parsed.getPort())
                + (parsed.getPath() == null ? "" : parsed.getPath());
    }

    private static void checkUrl(String url) {
        String expected = " (expected: redis://host:port/db or rediss://host:port/db, e.g. redis://127.0.0.1:6379/0)";
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redis.url: not a URL" + expected);
        }
        if (!"redis".equals(parsed.getScheme()) && !"rediss".equals(parsed.getScheme())
                || parsed.getHost() == null) {
            // The URL may carry a password: only its scheme is named.
            throw new IllegalArgumentException("redis.url: scheme " + parsed.getScheme() + ", host " + parsed.getHost()
                    + expected);
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        if (!path.isEmpty() && !path.matches("/\\d*")) {
            throw new IllegalArgumentException("redis.url: database " + path + " (expected: a database number, e.g. /0)");
        }
    }
}

package dev.antler.config;

/**
 * What monitoring sees: {@code GET /metrics} (Prometheus text format) and how often the task counts it
 * shows are read from the store.
 *
 * @param token          when set, {@code /metrics} answers only {@code Authorization: Bearer <token>}; default none
 *                       (open, like {@code /health/*})
 * @param taskCountsMs   how long the tasks-by-family-and-status figures are reused before the store is asked
 *                       again (default 15000), so a scrape never costs a query per task
 */
public record MetricsConfig(String token, Long taskCountsMs) {

    public MetricsConfig {
        token = token == null || token.isBlank() ? null : token;
        taskCountsMs = taskCountsMs == null ? 15_000L : taskCountsMs;
        if (taskCountsMs < 0) {
            throw new IllegalArgumentException("metrics.task_counts_ms: " + taskCountsMs + " (expected: >= 0)");
        }
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(null, null);
    }
}

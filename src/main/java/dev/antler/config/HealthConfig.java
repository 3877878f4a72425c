package dev.antler.config;

/**
 * Channel health: the circuit breaker of each channel and the scheduled channel tests.
 *
 * @param breakerFailures     failures within the window that open a channel's breaker (default 5)
 * @param breakerWindowMs     the sliding window failures are counted in (default 60000)
 * @param breakerOpenMs       how long an open breaker refuses requests before one probe (default 30000)
 * @param maxRetryAfterMs     the longest {@code Retry-After} honoured (default 600000); longer ones are capped
 * @param testIntervalSeconds how often channels the gateway disabled itself are tested, and re-enabled when
 *                            they pass (default 300; 0 turns the schedule off)
 * @param drainDelayMs        on a stop, how long {@code /health/ready} answers 503 while the instance still serves
 *                            everything, so load balancers stop sending before it stops listening (default 0)
 */
public record HealthConfig(Integer breakerFailures, Long breakerWindowMs, Long breakerOpenMs, Long maxRetryAfterMs,
                           Integer testIntervalSeconds, Long drainDelayMs) {

    public HealthConfig {
        breakerFailures = breakerFailures == null ? 5 : breakerFailures;
        breakerWindowMs = breakerWindowMs == null ? 60_000L : breakerWindowMs;
        breakerOpenMs = breakerOpenMs == null ? 30_000L : breakerOpenMs;
        maxRetryAfterMs = maxRetryAfterMs == null ? 600_000L : maxRetryAfterMs;
        testIntervalSeconds = testIntervalSeconds == null ? 300 : testIntervalSeconds;
        drainDelayMs = drainDelayMs == null ? 0L : drainDelayMs;
        if (drainDelayMs < 0) {
            throw new IllegalArgumentException("health.drain_delay_ms: " + drainDelayMs + " (expected: >= 0)");
        }
        if (breakerFailures < 1 || breakerWindowMs < 1 || breakerOpenMs < 1) {
            throw new IllegalArgumentException("health.breaker_failures / breaker_window_ms / breaker_open_ms: "
                    + breakerFailures + " / " + breakerWindowMs + " / " + breakerOpenMs + " (expected: each >= 1)");
        }
        if (maxRetryAfterMs < 0 || testIntervalSeconds < 0) {
            throw new IllegalArgumentException("health.max_retry_after_ms / test_interval_seconds: " + maxRetryAfterMs
                    + " / " + testIntervalSeconds + " (expected: >= 0 / >= 0)");
        }
    }

    public HealthConfig(Integer breakerFailures, Long breakerWindowMs, Long breakerOpenMs, Long maxRetryAfterMs,
                        Integer testIntervalSeconds) {
        this(breakerFailures, breakerWindowMs, breakerOpenMs, maxRetryAfterMs, testIntervalSeconds, null);
    }

    public static HealthConfig defaults() {
        return new HealthConfig(null, null, null, null, null, null);
    }
}

package dev.antler.config;

/**
 * Billing behaviour.
 *
 * @param defaultOutputHoldTokens output tokens reserved for a request that sets no max_tokens (default 4096)
 * @param flushIntervalMs         the longest settled usage waits to be written with others in one
 *                                transaction (default 50 ms); with one commit, the most a crash can lose
 * @param flushBatchSize          largest number of settlements written in one transaction (default 1000)
 */
public record BillingConfig(Long defaultOutputHoldTokens, Integer flushIntervalMs, Integer flushBatchSize) {

    public BillingConfig {
        defaultOutputHoldTokens = defaultOutputHoldTokens == null ? 4096L : defaultOutputHoldTokens;
        flushIntervalMs = flushIntervalMs == null ? 50 : flushIntervalMs;
        flushBatchSize = flushBatchSize == null ? 1000 : flushBatchSize;
        if (defaultOutputHoldTokens < 0) {
            throw new IllegalArgumentException(
                    "billing.default_output_hold_tokens: " + defaultOutputHoldTokens + " (expected: >= 0)");
        }
        if (flushIntervalMs < 0 || flushBatchSize <= 0) {
            throw new IllegalArgumentException("billing.flush_interval_ms / flush_batch_size: "
                    + flushIntervalMs + " / " + flushBatchSize + " (expected: >= 0 / > 0)");
        }
    }

    public static BillingConfig defaults() {
        return new BillingConfig(null, null, null);
    }
}

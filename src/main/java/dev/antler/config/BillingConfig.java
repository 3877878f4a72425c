package dev.antler.config;

/**
 * Billing behaviour.
 *
 * @param defaultOutputHoldTokens output tokens reserved for a request that sets no max_tokens (default 4096)
 * @param flushIntervalMs         the longest settled usage waits to be written with others in one
 *                                transaction (default 50 ms); with one commit, the most a crash can lose
 * @param flushBatchSize          largest number of settlements written in one transaction (default 1000)
 * @param maxUnwrittenEntries     settlements that may wait for a store that cannot write before new paid
 *                                requests are refused with 503 (default 100000)
 * @param maxUnwrittenAgeMs       how long the oldest settlement may wait for the store before new paid
 *                                requests are refused with 503 (default 10000 ms)
 * @param stopWaitMs              how long a graceful stop waits for a store that cannot write before it
 *                                moves the unwritten settlements to the dead-letter file (default 15000 ms)
 * @param deadLetterFile          the dead-letter file (default: {@code ledger-dead-letters.jsonl} beside the
 *                                SQLite file, or under {@code data/} for a server database)
 * @param deadLetterReserveBytes  disk space kept beside the dead-letter file and given up for it when the
 *                                disk is full (default 16 MiB; 0 keeps none)
 * @param imagePromptTokens       prompt tokens held per input image; null: each family's documented worst case
 * @param documentPageTokens      prompt tokens held per page of an input document (PDF); null: 3000
 * @param capMaxTokensToBalance   lower max_tokens sent upstream to what the balance affords instead of refusing
 *                                (default false)
 */
public record BillingConfig(Long defaultOutputHoldTokens, Integer flushIntervalMs, Integer flushBatchSize,
                            Integer maxUnwrittenEntries, Long maxUnwrittenAgeMs, Long stopWaitMs,
                            String deadLetterFile, Long deadLetterReserveBytes, Long imagePromptTokens,
                            Long documentPageTokens, Boolean capMaxTokensToBalance) {

    public BillingConfig {
        defaultOutputHoldTokens = defaultOutputHoldTokens == null ? 4096L : defaultOutputHoldTokens;
        flushIntervalMs = flushIntervalMs == null ? 50 : flushIntervalMs;
        flushBatchSize = flushBatchSize == null ? 1000 : flushBatchSize;
        maxUnwrittenEntries = maxUnwrittenEntries == null ? 100_000 : maxUnwrittenEntries;
        maxUnwrittenAgeMs = maxUnwrittenAgeMs == null ? 10_000L : maxUnwrittenAgeMs;
        stopWaitMs = stopWaitMs == null ? 15_000L : stopWaitMs;
        deadLetterReserveBytes = deadLetterReserveBytes == null ? 16L * 1024 * 1024 : deadLetterReserveBytes;
        documentPageTokens = documentPageTokens == null ? 3000L : documentPageTokens;
        capMaxTokensToBalance = capMaxTokensToBalance != null && capMaxTokensToBalance;
        if ((imagePromptTokens != null && imagePromptTokens < 0) || documentPageTokens < 0) {
            throw new IllegalArgumentException("billing.image_prompt_tokens / document_page_tokens: "
                    + imagePromptTokens + " / " + documentPageTokens + " (expected: >= 0)");
        }
        if (defaultOutputHoldTokens < 0) {
            throw new IllegalArgumentException(
                    "billing.default_output_hold_tokens: " + defaultOutputHoldTokens + " (expected: >= 0)");
        }
        if (flushIntervalMs < 0 || flushBatchSize <= 0) {
            throw new IllegalArgumentException("billing.flush_interval_ms / flush_batch_size: "
                    + flushIntervalMs + " / " + flushBatchSize + " (expected: >= 0 / > 0)");
        }
        if (maxUnwrittenEntries <= 0 || maxUnwrittenAgeMs <= 0) {
            throw new IllegalArgumentException("billing.max_unwritten_entries / max_unwritten_age_ms: "
                    + maxUnwrittenEntries + " / " + maxUnwrittenAgeMs + " (expected: > 0 / > 0)");
        }
        if (stopWaitMs < 0 || deadLetterReserveBytes < 0) {
            throw new IllegalArgumentException("billing.stop_wait_ms / dead_letter_reserve_bytes: " + stopWaitMs
                    + " / " + deadLetterReserveBytes + " (expected: >= 0 / >= 0)");
        }
    }

    public static BillingConfig defaults() {
        return new BillingConfig(null, null, null, null, null, null, null, null, null, null, null);
    }
}

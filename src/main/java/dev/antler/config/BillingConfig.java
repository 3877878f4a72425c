package dev.antler.config;

/**
 * Billing behaviour.
 *
 * @param defaultOutputHoldTokens output tokens reserved for a request that sets no max_tokens (default 4096)
 * @param flushIntervalMs         the longest settled usage waits to be written with others in one
 *                                transaction (default 50 ms); with one commit, the most a crash can lose
 * @param flushBatchSize          largest number of settlements written in one transaction (default 1000)
 * @param imagePromptTokens       prompt tokens held per input image; null: each family's documented worst case
 * @param documentPageTokens      prompt tokens held per page of an input document (PDF); null: 3000
 * @param capMaxTokensToBalance   lower max_tokens sent upstream to what the balance affords instead of refusing
 *                                (default false)
 */
public record BillingConfig(Long defaultOutputHoldTokens, Integer flushIntervalMs, Integer flushBatchSize,
                            Long imagePromptTokens, Long documentPageTokens, Boolean capMaxTokensToBalance) {

    public BillingConfig {
        defaultOutputHoldTokens = defaultOutputHoldTokens == null ? 4096L : defaultOutputHoldTokens;
        flushIntervalMs = flushIntervalMs == null ? 50 : flushIntervalMs;
        flushBatchSize = flushBatchSize == null ? 1000 : flushBatchSize;
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
    }

    public static BillingConfig defaults() {
        return new BillingConfig(null, null, null, null, null, null);
    }
}

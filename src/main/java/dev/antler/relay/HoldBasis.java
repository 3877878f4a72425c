package dev.antler.relay;

import dev.antler.config.BillingConfig;

/**
 * What a hold is computed from besides the request.
 *
 * @param billing      the billing settings (default output tokens, per-image and per-page bounds)
 * @param tokenizer    count prompt text with the tokenizer rather than by its bytes (tighter, slower)
 * @param outputTokens output tokens per answer to hold instead of what the request asks, or -1
 */
public record HoldBasis(BillingConfig billing, boolean tokenizer, long outputTokens) {

    public static HoldBasis cheap(BillingConfig billing) {
        return new HoldBasis(billing, false, -1);
    }

    public HoldBasis withOutputTokens(long tokens) {
        return new HoldBasis(billing, tokenizer, tokens);
    }

    /** The output tokens per answer to hold for a request that asks for {@code requested} (-1: it names none). */
    public long outputTokens(long requested) {
        return outputTokens >= 0 ? outputTokens : requested >= 0 ? requested : billing.defaultOutputHoldTokens();
    }
}

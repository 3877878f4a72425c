package dev.antler.relay;

import dev.antler.accounts.Principal;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.config.BillingConfig;
import dev.antler.tokens.TokenCounting;
import io.vertx.core.Future;

/**
 * The hold one request takes: the most it can cost, times the group multiplier. Prompt text is bounded
 * by its bytes while that is far below what the balance can hold, and counted with the tokenizer when it
 * is not. When the balance cannot cover the output tokens the request asks for, the refusal says how many
 * it can afford; with {@code billing.cap_max_tokens_to_balance} the request is sent with its output limit
 * lowered to that instead.
 *
 * @param intent       the request, its output limit lowered when capped
 * @param amount       the hold in nano-USD
 * @param cappedTo     the output tokens per answer the request was lowered to, or -1
 * @param refusalNote  appended to the message when the balance refuses the hold (names the affordable tokens)
 * @param <D>          the operation's type of details
 */
public record HoldPlan<D>(Intent<D> intent, long amount, long cappedTo, String refusalNote) {

    /** Response header naming the output tokens a capped request was sent with. */
    public static final String CAPPED_HEADER = "X-Antler-Max-Tokens-Capped";

    /**
     * The plan against what the principal's balance, key limit and daily spend cap leave now. When the prompt
     * must be counted with the tokenizer, it is counted off the event loop; completes on the caller's context.
     */
    static <D> Future<HoldPlan<D>> of(RelayServices services, Operation<D> operation, Intent<D> intent, Price price,
                                      Principal principal) {
        long available = Math.min(services.balances().available(principal.user(), principal.key()),
                services.limits().limiter().dailyRoom(principal.user().id()));
        HoldPlan<D> cheap = cheap(operation, intent, price, principal, services.billing(), available);
        return cheap != null ? Future.succeededFuture(cheap) : TokenCounting.offEventLoop(
                () -> counted(operation, intent, price, principal, services.billing(), available));
    }

    static <D> HoldPlan<D> of(Operation<D> operation, Intent<D> intent, Price price, Principal principal,
                              BillingConfig billing, long available) {
        HoldPlan<D> cheap = cheap(operation, intent, price, principal, billing, available);
        return cheap != null ? cheap : counted(operation, intent, price, principal, billing, available);
    }

    /** The plan by the cheap bound, when it is far enough below {@code available}; else null. */
    private static <D> HoldPlan<D> cheap(Operation<D> operation, Intent<D> intent, Price price, Principal principal,
                                         BillingConfig billing, long available) {
        long cheap = CostCalculator.applyMultiplier(
                operation.holdEstimate(intent, price, HoldBasis.cheap(billing)), principal.group().multiplierPpm());
        return cheap <= available / 2 ? new HoldPlan<>(intent, cheap, -1, "") : null;
    }

    /** The plan with the prompt counted by the tokenizer (slow: off the event loop). */
    private static <D> HoldPlan<D> counted(Operation<D> operation, Intent<D> intent, Price price, Principal principal,
                                           BillingConfig billing, long available) {
        long multiplier = principal.group().multiplierPpm();
        HoldBasis counted = new HoldBasis(billing, true, -1);
        OutputLimit<D> limit = operation.outputLimit(intent, counted);
        if (limit == null) {
            return new HoldPlan<>(intent, CostCalculator.applyMultiplier(
                    operation.holdEstimate(intent, price, counted), multiplier), -1, "");
        }
        // The prompt part once (the tokenizer is the slow step); the output part is linear in its tokens.
        long prompt = operation.holdEstimate(intent, price, counted.withOutputTokens(0));
        long amount = withOutput(prompt, price, limit.tokens() * limit.answers(), multiplier);
        if (amount <= available) {
            return new HoldPlan<>(intent, amount, -1, "");
        }
        long affordable = affordableOutput(prompt, price, multiplier, available, limit.tokens() * limit.answers())
                / limit.answers();
        if (billing.capMaxTokensToBalance() && affordable >= 1) {
            Intent<D> capped = limit.lowerTo(affordable);
            return new HoldPlan<>(capped, withOutput(prompt, price, affordable * limit.answers(), multiplier), affordable,
                    "");
        }
        String note = "; " + limit.field() + ": " + limit.tokens() + " (expected: at most " + affordable
                + ", the output tokens this balance affords after the prompt"
                + (affordable == 0 ? "; it cannot cover the prompt alone" : "") + ")";
        return new HoldPlan<>(intent, amount, -1, note);
    }

    private static long withOutput(long prompt, Price price, long outputTokens, long multiplier) {
        return CostCalculator.applyMultiplier(prompt + CostCalculator.outputCost(price, outputTokens), multiplier);
    }

    /** The most output tokens, up to {@code asked}, whose hold fits in {@code available}: a binary search. */
    static long affordableOutput(long prompt, Price price, long multiplier, long available, long asked) {
        if (withOutput(prompt, price, 0, multiplier) > available) {
            return 0;
        }
        long low = 0;
        long high = asked;
        while (low < high) {
            long middle = low + (high - low + 1) / 2;
            if (withOutput(prompt, price, middle, multiplier) <= available) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }
}

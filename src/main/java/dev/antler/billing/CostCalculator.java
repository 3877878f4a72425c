package dev.antler.billing;

import dev.antler.accounts.Group;

/** Prices a {@link Usage}: exact integer arithmetic, rounded half-up to the nano-dollar once per component. */
public final class CostCalculator {

    private static final long MILLION = 1_000_000L;

    private CostCalculator() {}

    /** The cost before the group multiplier. A price with a per-call part always charges it. */
    public static long baseCost(Price price, Usage usage) {
        long cost = 0;
        long uncachedPrompt = Math.max(0, usage.promptTokens() - usage.cachedTokens());
        cost += perMillion(uncachedPrompt, price.inputPerMtok());
        Long cachedPrice = price.cachedInputPerMtok() != null ? price.cachedInputPerMtok() : price.inputPerMtok();
        cost += perMillion(Math.min(usage.cachedTokens(), usage.promptTokens()), cachedPrice);
        Long writePrice = price.cacheWritePerMtok() != null ? price.cacheWritePerMtok() : price.inputPerMtok();
        cost += perMillion(usage.cacheWriteTokens(), writePrice);
        cost += perMillion(usage.completionTokens(), price.outputPerMtok());
        if (price.perImage() != null) {
            cost = Math.addExact(cost, Math.multiplyExact(price.perImage(), usage.images()));
        }
        if (price.perSecond() != null) {
            cost = Math.addExact(cost, Math.multiplyExact(price.perSecond(), usage.seconds()));
        }
        if (price.perCall() != null) {
            cost = Math.addExact(cost, price.perCall());
        }
        return cost;
    }

    /** The output part of {@link #baseCost}: {@code tokens} at the output price. */
    public static long outputCost(Price price, long tokens) {
        return perMillion(tokens, price.outputPerMtok());
    }

    public static long cost(Price price, Usage usage, long multiplierPpm) {
        return applyMultiplier(baseCost(price, usage), multiplierPpm);
    }

    public static long applyMultiplier(long amount, long multiplierPpm) {
        return multiplierPpm == Group.PPM ? amount : Usd.scale(amount, multiplierPpm, Group.PPM);
    }

    private static long perMillion(long tokens, Long nanosPerMillion) {
        if (tokens == 0 || nanosPerMillion == null || nanosPerMillion == 0) {
            return 0;
        }
        return Usd.scale(tokens, nanosPerMillion, MILLION);
    }
}

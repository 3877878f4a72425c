package dev.antler.limits;

import io.vertx.core.Future;

/**
 * Limits counted once for all gateway instances (on Redis), checked after this instance's own {@link Limiter}
 * admitted a request. Whatever cannot be counted shared (not configured, unreachable, too slow) is admitted on the
 * local counts alone: an implementation never fails an admission for its own trouble, only with a
 * {@link LimitExceeded}, and never takes longer than its timeout.
 */
public interface SharedLimits {

    /** No sharing: every instance counts alone. */
    SharedLimits LOCAL = new SharedLimits() {
        @Override
        public Future<SharedTicket> admit(SharedRequest request) {
            return Future.succeededFuture();
        }

        @Override
        public void close(SharedTicket ticket, long tokensUsed, long chargeNanos, boolean settled, long nowMillis) {
        }
    };

    /**
     * Counts the request on the shared limits: a ticket when it was counted there, null when it was admitted on
     * local counts only, or a {@link LimitExceeded} failure with the same answer the local limiter gives.
     */
    Future<SharedTicket> admit(SharedRequest request);

    /** The request ended: frees its slot and hold, corrects its tokens and counts its charge (or undoes all of it). */
    void close(SharedTicket ticket, long tokensUsed, long chargeNanos, boolean settled, long nowMillis);

    /**
     * One request to count: its key's limits, its user's daily cap (null: none), its estimate and hold, and what this
     * instance counts as the user's spend today (the shared figure is never lower).
     */
    record SharedRequest(long keyId, long userId, KeyLimits limits, Long dailyCap, long tokenEstimate,
                         long holdNanos, long nowMillis, long localSpentToday) {}

    /**
     * What a request counted on the shared limits, to undo or settle: its lease (slot and hold), the second it was
     * counted in, and which limits counted it. {@code spentToday} is the user's shared spend seen at admission, or
     * -1 when no cap applied.
     */
    record SharedTicket(String lease, long keyId, long userId, long second, long tokenEstimate, long held,
                        boolean requests, boolean tokens, boolean slot, boolean hold, long spentToday) {}
}

package dev.antler.billing;

import org.jdbi.v3.core.Handle;

/**
 * A balance change for {@link LedgerWriter#guarded} that applies only if {@link #guard} holds in the
 * writer's transaction. Async tasks use it so that a charge or a refund and the task row's state change
 * commit together: a refund without its status change, or a second refund, cannot happen.
 *
 * @param record        usage row written with the change, or null
 * @param keyId         the key whose used total moves with {@code usedDelta}, or 0 for none
 * @param balanceDelta  added to the user's balance (negative for a charge); one ledger row of {@code kind}
 * @param usedDelta     added to the user's and key's used totals (negative for a refund)
 * @param pendingInBook true if the change was already settled in the {@link BalanceBook} (pending there)
 * @param repricesTask  the public id of the task whose submit charge this change re-prices (its refund or its
 *                      settlement on what was made), or null: the usage roll-up counts that submit at its net cost
 */
public record GuardedChange(UsageRecord record, long userId, long keyId, long balanceDelta, long usedDelta,
                            String kind, String reference, String note, boolean pendingInBook, Guard guard,
                            String repricesTask) {

    /** Runs in the writer's transaction; true if the change may apply (typically: a compare-and-set hit a row). */
    @FunctionalInterface
    public interface Guard {
        boolean apply(Handle handle);
    }
}

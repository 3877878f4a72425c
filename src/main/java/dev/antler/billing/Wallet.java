package dev.antler.billing;

/**
 * The in-memory view of one balance (a user's, or a key's spend limit): the amount last read from
 * the store, charges settled but not yet written, and holds of requests in flight. Holds are checked
 * here, without a database round trip; the store stays the record.
 *
 * <p>A hold bounds its request's cost, so holds in flight can spend at most the balance. When a charge
 * still exceeds its hold (the upstream billed more than the bound), the excess is charged in full and
 * remembered as the overrun: every later hold on this balance also reserves that much, so that requests
 * in flight together cannot each overrun unreserved. It is kept for the life of the process.
 */
final class Wallet {

    private long committed;
    private long pending;
    private long held;
    private long overrun;
    /** Charged requests settled here whose usage rows are not written yet (the stored request_count lacks them). */
    private long pendingRequests;

    Wallet(long committed) {
        this.committed = committed;
    }

    /** What a new hold can take now: the balance less holds in flight and the overrun reserve. */
    synchronized long available() {
        return committed - pending - held - overrun;
    }

    synchronized long balance() {
        return committed - pending;
    }

    synchronized long pendingRequests() {
        return pendingRequests;
    }

    synchronized void requestSettled() {
        pendingRequests++;
    }

    /** {@code count} pending requests were written (or will not be). */
    synchronized void requestsWritten(long count) {
        pendingRequests = Math.max(0, pendingRequests - count);
    }

    synchronized long overrun() {
        return overrun;
    }

    /** Holds {@code amount} plus the overrun reserve if that much is available; returns what was held, or -1. */
    synchronized long tryHold(long amount) {
        long reserved = Math.addExact(amount, overrun);
        if (committed - pending - held < reserved) {
            return -1;
        }
        held += reserved;
        return reserved;
    }

    synchronized void release(long reserved) {
        held -= reserved;
    }

    /**
     * Replaces a hold ({@code reserved}, of which {@code ownHold} was the request's own bound) by the final
     * charge, which waits for the writer.
     */
    synchronized void settle(long reserved, long ownHold, long charge) {
        held -= reserved;
        pending += charge;
        overrun = Math.max(overrun, charge - ownHold);
    }

    /** The writer committed {@code amount} of pending charges; the store now says {@code stored}. */
    synchronized void committed(long amount, long stored) {
        pending -= amount;
        committed = stored;
    }

    /** A pending charge will not be written after all. */
    synchronized void dropPending(long amount) {
        pending -= amount;
    }

    /** The store changed by other means (admin credit, another instance); {@code stored} is its value. */
    synchronized void refresh(long stored) {
        committed = stored;
    }
}

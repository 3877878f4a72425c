package dev.antler.billing;

/**
 * The in-memory view of one balance (a user's, or a key's spend limit): the amount last read from
 * the store, charges settled but not yet written, and holds of requests in flight. Holds are checked
 * here, without a database round trip; the store stays the record.
 */
final class Wallet {

    private long committed;
    private long pending;
    private long held;

    Wallet(long committed) {
        this.committed = committed;
    }

    synchronized long available() {
        return committed - pending - held;
    }

    synchronized long balance() {
        return committed - pending;
    }

    /** Holds {@code amount} if that much is available. */
    synchronized boolean tryHold(long amount) {
        if (committed - pending - held < amount) {
            return false;
        }
        held += amount;
        return true;
    }

    synchronized void release(long amount) {
        held -= amount;
    }

    /** Replaces a hold by the final charge, which waits for the writer. */
    synchronized void settle(long heldAmount, long charge) {
        held -= heldAmount;
        pending += charge;
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

package dev.antler.billing;

/**
 * A ledger entry the store refuses on its own merits (say a charge for a user that no longer exists):
 * writing it again cannot succeed, so it goes to the dead-letter file instead of blocking the queue.
 */
final class EntryRejected extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    EntryRejected(String message) {
        super(message);
    }
}

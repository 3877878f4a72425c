package dev.antler.billing;

import dev.antler.store.StatementSource;
import java.util.List;

/**
 * Holds recorded in the store, so that instances sharing it admit against one another's holds: taken after
 * the in-memory hold while more than one instance is live, and deleted in the ledger transaction that writes
 * the request's charge. A single instance keeps its holds in memory only ({@link #NONE}'s behaviour, and what
 * an implementation does while it is alone): no store round trip per request.
 */
public interface StoredHolds {

    /** Holds stay in memory only. */
    StoredHolds NONE = new StoredHolds() {
        @Override
        public boolean active() {
            return false;
        }

        @Override
        public void take(Hold hold, String requestId) {
            throw new IllegalStateException("holds are not stored (a single instance)");
        }

        @Override
        public void releaseIn(StatementSource source, List<String> requestIds) {}

        @Override
        public void released(List<String> requestIds) {}

        @Override
        public void settled(Hold hold) {}
    };

    /** Whether admissions take their holds in the store now (more than one instance is live). */
    boolean active();

    /**
     * Records {@code hold} for {@code requestId} if the stored balance (and the key's stored remaining limit)
     * covers it beside every other stored hold; else throws the 403 the in-memory hold would. Blocking: call
     * off the event loop. A store failure propagates (the request is refused, not admitted unrecorded).
     */
    void take(Hold hold, String requestId);

    /** Inside the ledger transaction that writes these requests' charges: deletes the holds this instance took. */
    void releaseIn(StatementSource source, List<String> requestIds);

    /** That transaction committed: these requests hold nothing in the store any more. */
    void released(List<String> requestIds);

    /** {@code hold} was settled in memory: its charge is queued for the writer, which releases the stored hold. */
    void settled(Hold hold);
}

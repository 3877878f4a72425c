package dev.antler.billing;

import dev.antler.store.StatementSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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
        public void released(List<String> requestIds, Map<Long, Balance> balances) {}

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

    /**
     * {@link #take} off the caller's thread: completes once the hold is recorded where the instances share holds
     * (the store, or Redis), or fails with the 403 (or the 503 when it cannot be recorded).
     */
    default CompletableFuture<Void> takeAsync(Hold hold, String requestId, Executor blocking) {
        return CompletableFuture.runAsync(() -> take(hold, requestId), blocking);
    }

    /** Inside the ledger transaction that writes these requests' charges: deletes the holds this instance took. */
    void releaseIn(StatementSource source, List<String> requestIds);

    /**
     * Inside that transaction, after the balances changed: what other instances must learn of these users once it
     * commits (holds shared on Redis mirror each balance); empty when nothing is mirrored.
     */
    default Map<Long, Balance> balancesIn(StatementSource source, Collection<Long> userIds) {
        return Map.of();
    }

    /**
     * That transaction committed: these requests hold nothing any more, and {@code balances} (from
     * {@link #balancesIn}) are the users' stored balances now.
     */
    void released(List<String> requestIds, Map<Long, Balance> balances);

    /** {@code hold} was settled in memory: its charge is queued for the writer, which releases the stored hold. */
    void settled(Hold hold);

    /**
     * A user's stored balance less the holds kept in the store, and the balance's version (it only moves forward:
     * of two readings, the higher version is the newer).
     */
    record Balance(long available, long version) {}
}

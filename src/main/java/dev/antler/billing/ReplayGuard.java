package dev.antler.billing;

import dev.antler.billing.DeadLetters.Letter;
import java.time.Clock;
import org.jdbi.v3.core.Handle;

/**
 * Lets a dead letter apply once only, in the transaction that applies it: not if the transaction it was
 * last tried in committed after all (its commit had failed, see {@link WriterMark}), and not if an earlier
 * replay applied it (its id is in {@code ledger_replays}, inserted here together with the change).
 */
record ReplayGuard(Letter letter, Clock clock) {

    boolean apply(Handle h) {
        if (letter.writerId() != null && WriterMark.lastBatch(h, letter.writerId()) >= letter.batch()) {
            return false;
        }
        boolean replayed = h.createQuery("SELECT COUNT(*) FROM ledger_replays WHERE entry_id = :id")
                .bind("id", letter.id()).mapTo(Long.class).one() > 0;
        if (replayed) {
            return false;
        }
        h.createUpdate("INSERT INTO ledger_replays (entry_id, applied_at) VALUES (:id, :now)")
                .bind("id", letter.id()).bind("now", clock.millis()).execute();
        return true;
    }
}

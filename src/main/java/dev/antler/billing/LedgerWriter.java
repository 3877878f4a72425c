package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.DeadLetters.Letter;
import dev.antler.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The only writer of balances in this process. Settlements (a usage row plus a charge) and credits
 * are queued from any thread and written by one background thread in batched transactions (see
 * {@link LedgerBatch}), so a balance always equals the sum of its ledger rows. After each commit the
 * stored balances are read back into the {@link BalanceBook}.
 *
 * <p>The writer lingers up to {@code lingerMs} after the first queued entry to gather a batch, then
 * commits. While the store cannot write (disk full, I/O errors, a read-only file, a lost connection),
 * the same batch is retried, in order, until it is written exactly once; meanwhile the
 * {@link LedgerBacklog} refuses new paid work once the bound is passed. Only an entry the store rejects
 * on its own merits is set aside, into the {@link DeadLetters} file. A graceful stop waits up to
 * {@code stopWaitMs} for the store, then moves what is still unwritten to that file, from where the next
 * start re-applies it. On a crash, what was queued but not yet committed is lost: at most the linger
 * time plus one commit of traffic.
 */
public final class LedgerWriter implements AutoCloseable {

    private static final long MARKER = -1;

    /** How the writer batches, and how long a graceful stop waits for a store that cannot write. */
    public record Timing(int lingerMs, int batchSize, long stopWaitMs) {}

    /** What a replay of dead letters did. */
    public record Replayed(int applied, int alreadyApplied, int rejected) {}

    private final BalanceBook book;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final LedgerLoop loop;

    public LedgerWriter(Database database, BalanceBook book, DeadLetters deadLetters, Clock clock, Timing timing) {
        this.book = requireNonNull(book, "book");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters");
        this.clock = requireNonNull(clock, "clock");
        this.loop = new LedgerLoop(requireNonNull(database, "database"), book, deadLetters, clock,
                requireNonNull(timing, "timing"));
    }

    /** Queues a finished request: its usage row, and its charge against the user and key. */
    public void settle(UsageRecord record) {
        enqueue(new Entry(record, record.userId(), record.keyId(), -record.costNanos(), record.costNanos(),
                "charge", record.requestId(), null, null, null, true, null, System.nanoTime(), null, null));
    }

    /**
     * Queues a change that applies only if its guard holds inside the same transaction: the guard's own
     * row update (say a task's status compare-and-set) and the balance change commit together or not at
     * all. Completes with whether it applied. A change rejected by its guard still releases what it had
     * pending in the {@link BalanceBook}. Guarded changes never go to the dead-letter file: the row their
     * guard changes (a task's charge or status) still says they are owed, and is acted on again.
     */
    public CompletableFuture<Boolean> guarded(GuardedChange c) {
        CompletableFuture<Boolean> applied = new CompletableFuture<>();
        enqueue(new Entry(c.record(), c.userId(), c.keyId(), c.balanceDelta(), c.usedDelta(), c.kind(),
                c.reference(), c.note(), null, c.guard(), c.pendingInBook(), applied, System.nanoTime(), null,
                c.repricesTask()));
        return applied;
    }

    /**
     * Adds {@code amount} (negative to deduct) to a user's balance with a ledger row of {@code kind};
     * completes with the new stored balance once committed.
     */
    public CompletableFuture<Long> credit(long userId, long amount, String kind, String reference, String note) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueue(new Entry(null, userId, 0, amount, 0, kind, reference, note, done, null, false, null, System.nanoTime(),
                null, null));
        return done;
    }

    /** Completes once everything queued before this call has been committed. */
    public CompletableFuture<Void> flushed() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueue(Entry.marker(done, System.nanoTime()));
        return done.thenApply(balance -> null);
    }

    /**
     * Re-applies the dead letters {@code which} selects, each at most once whatever happened before (see
     * {@link ReplayGuard}); those applied, or found applied already, leave the file.
     */
    public CompletableFuture<Replayed> replay(Predicate<Letter> which) {
        List<Letter> letters = deadLetters.list().stream().filter(which).toList();
        List<CompletableFuture<Boolean>> results = new ArrayList<>(letters.size());
        for (Letter l : letters) {
            CompletableFuture<Boolean> applied = new CompletableFuture<>();
            results.add(applied);
            enqueue(new Entry(l.usage(), l.userId(), l.keyId(), l.balanceDelta(), l.usedDelta(), l.kind(),
                    l.reference(), l.note(), null, new ReplayGuard(l, clock)::apply, false, applied, System.nanoTime(),
                    l.id(), null));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            int applied = 0;
            int already = 0;
            Set<String> done = new HashSet<>();
            for (int i = 0; i < letters.size(); i++) {
                CompletableFuture<Boolean> result = results.get(i);
                if (result.isCompletedExceptionally()) {
                    continue;
                }
                if (result.join()) {
                    applied++;
                } else {
                    already++;
                }
                done.add(letters.get(i).id());
            }
            deadLetters.remove(done);
            return new Replayed(applied, already, letters.size() - done.size());
        });
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public LedgerBacklog backlog() {
        return book.backlog();
    }

    /** Entries queued and not yet committed (a batch being written is not counted). */
    public int backlogSize() {
        return book.backlog().queued();
    }

    private void enqueue(Entry entry) {
        // counted before the writer can take it, so its commit never finds the count not raised yet
        if (entry.countsRequest()) {
            book.requestSettled(entry.userId());
        }
        try {
            loop.enqueue(entry);
        } catch (RuntimeException e) {
            if (entry.countsRequest()) {
                book.released(entry.userId(), 0, 0, true);
            }
            throw e;
        }
    }

    /**
     * Writes everything queued, then stops the writer thread. While the store cannot write, waits up to
     * {@code stopWaitMs} for it, then moves what is left to the dead-letter file.
     */
    @Override
    public void close() {
        loop.stop();
    }

    /**
     * One queued change. {@code queuedAt} is {@link System#nanoTime} (for its age); {@code letterId} is set when
     * it re-applies a dead letter; {@code repricesTask} as in {@link GuardedChange}.
     */
    record Entry(UsageRecord record, long userId, long keyId, long balanceDelta, long usedDelta, String kind,
                 String reference, String note, CompletableFuture<Long> done, GuardedChange.Guard guard,
                 boolean inBook, CompletableFuture<Boolean> applied, long queuedAt, String letterId,
                 String repricesTask) {

        /** Whether the book counts this entry as a pending request: a charged request's usage row, in the book. */
        boolean countsRequest() {
            return inBook && record != null && record.costNanos() != 0;
        }

        /** A marker with no change: completes {@code done} once everything queued before it is written. */
        static Entry marker(CompletableFuture<Long> done, long queuedAt) {
            return new Entry(null, MARKER, 0, 0, 0, null, null, null, done, null, false, null, queuedAt, null, null);
        }

        boolean isMarker() {
            return userId == MARKER;
        }
    }
}

package dev.antler.billing;

import dev.antler.billing.DeadLetters.Letter;
import dev.antler.billing.LedgerWriter.Entry;
import dev.antler.billing.LedgerWriter.Timing;
import dev.antler.json.Json;
import dev.antler.store.Database;
import dev.antler.store.StatementCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LedgerWriter}'s one thread: takes what is queued in batches, writes each batch until the store
 * has it (or sets aside an entry the store rejects on its merits), and at a stop that the store does not let
 * finish, moves what is left to the dead-letter file.
 */
final class LedgerLoop {

    private static final Logger log = LoggerFactory.getLogger(LedgerLoop.class);

    private static final long IDLE_POLL_MS = 500;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** Queued by stop() to end a linger at once. */
    private static final Entry WAKE = Entry.marker(null, 0);

    private final Database database;
    private final BalanceBook book;
    private final LedgerBacklog backlog;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Timing timing;
    private final WriterMark mark;
    private final StatementCache statements;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long stopDeadline = Long.MAX_VALUE;
    /** The writer is sleeping out its linger (see {@link #enqueue}). */
    private volatile boolean lingering;
    /** Writer thread only: the last batch's number, and what a stop left unwritten. */
    private long sequence;
    private List<Entry> unwritten = List.of();
    private LedgerBatch uncertain;

    LedgerLoop(Database database, BalanceBook book, DeadLetters deadLetters, Clock clock, Timing timing) {
        this.database = database;
        this.book = book;
        this.backlog = book.backlog();
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.timing = timing;
        this.mark = new WriterMark(database, clock.millis());
        this.statements = new StatementCache(database.dialect());
        this.backlog.measure(queue::size);
        this.thread = Thread.ofPlatform().name("antler-ledger-writer").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /**
     * Queues an entry. The writer is woken by the first entry of a batch (the queue's own signal) and
     * then sleeps out its linger; later entries wake it only when they fill a batch, so a busy relay
     * does not pay a thread wake-up per request.
     */
    void enqueue(Entry entry) {
        queue.add(entry);
        if (lingering && queue.size() >= timing.batchSize()) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE) {
                    continue;
                }
                List<Entry> batch = new ArrayList<>();
                batch.add(first);
                gather(batch);
                backlog.writing(first.queuedAt());
                if (!writeUntilDone(batch)) {
                    moveToDeadLettersAtStop();
                    return;
                }
                backlog.written();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Adds what arrives within the linger time: sleeps until the deadline unless a full batch or a
     * stop wakes it earlier, then takes what was queued (up to a batch).
     */
    private void gather(List<Entry> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.lingerMs());
        lingering = true;
        try {
            long wait;
            while (running && batch.size() + queue.size() < timing.batchSize()
                    && (wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            lingering = false;
        }
        queue.drainTo(batch, timing.batchSize() - batch.size());
        batch.removeIf(e -> e == WAKE);
    }

    /**
     * Writes {@code entries}, in order, each exactly once: retried while the store cannot write, one by one
     * when the store rejects one of them. False when a stop gave up waiting for the store ({@link #unwritten}
     * then holds what is left).
     */
    private boolean writeUntilDone(List<Entry> entries) throws InterruptedException {
        LedgerBatch batch = new LedgerBatch(entries, ++sequence);
        long backoff = 100;
        while (true) {
            RuntimeException failure;
            try {
                if (!batch.reachedCommit() || !mark.committed(batch.sequence)) {
                    batch.write(database, statements, mark, book.storedHolds(), clock.millis());
                }
                batch.finish(book);
                return true;
            } catch (RuntimeException e) {
                failure = e;
            }
            if (!batch.reachedCommit() && StoreFailures.rejectsEntry(failure) && mark.storeWrites(clock.millis())) {
                if (entries.size() > 1) {
                    return writeOneByOne(entries);
                }
                if (setAside(entries.get(0), failure)) {
                    return true;
                }
            }
            backlog.failing(failure.getMessage());
            if (!running && System.nanoTime() - stopDeadline >= 0) {
                unwritten = entries;
                uncertain = batch;
                return false;
            }
            log.error("ledger: write of {} entries failed; the store cannot write, retrying in {} ms "
                    + "(nothing is dropped; paid requests are refused past billing.max_unwritten_*): {}",
                    entries.size(), backoff, failure.toString());
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(backoff));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private boolean writeOneByOne(List<Entry> entries) throws InterruptedException {
        for (int i = 0; i < entries.size(); i++) {
            if (!writeUntilDone(List.of(entries.get(i)))) {
                unwritten = entries.subList(i, entries.size());
                return false;
            }
        }
        return true;
    }

    /**
     * Sets aside an entry the store rejected on its merits: into the dead-letter file, its pending amount
     * released from the book. False if the file could not take it (then it waits like any other write).
     */
    private boolean setAside(Entry entry, RuntimeException failure) {
        if (entry.letterId() == null && entry.guard() == null) {
            try {
                deadLetters.append(List.of(letter(entry, DeadLetters.REJECTED, failure.getMessage(), null)));
            } catch (RuntimeException e) {
                log.error("ledger: an entry the store rejected could not be set aside either: {}", e.toString());
                return false;
            }
        }
        log.error("ledger: entry rejected by the store and set aside{}: user={} key={} amount={} kind={} reference={}: {}",
                entry.letterId() != null ? " (it stays in the dead-letter file)"
                        : entry.guard() != null ? " (its task row still owes it)" : " in " + deadLetters.file(),
                entry.userId(), entry.keyId(), entry.balanceDelta(), entry.kind(), entry.reference(), failure.toString());
        if (entry.inBook()) {
            book.released(entry.userId(), entry.keyId(), entry.usedDelta(), entry.countsRequest());
        }
        fail(entry, failure);
        return true;
    }

    /** A stop gave up waiting for the store: what is left goes to the dead-letter file, for the next start. */
    private void moveToDeadLettersAtStop() {
        List<Entry> left = new ArrayList<>(unwritten);
        queue.drainTo(left);
        List<Letter> letters = new ArrayList<>();
        int leftToTasks = 0;
        for (Entry e : left) {
            if (e == WAKE || e.isMarker() || e.letterId() != null) {
                continue;
            }
            if (e.guard() != null) {
                leftToTasks++;
                continue;
            }
            boolean maybeWritten = uncertain != null && uncertain.reachedCommit() && uncertain.entries.contains(e);
            letters.add(letter(e, DeadLetters.UNWRITTEN_AT_STOP, backlog.lastFailure(),
                    maybeWritten ? uncertain : null));
        }
        try {
            deadLetters.append(letters);
            log.error("ledger: stopped while the store could not write; {} entries moved to {} (re-applied at the "
                    + "next start), {} task changes left to their task rows", letters.size(), deadLetters.file(),
                    leftToTasks);
        } catch (RuntimeException e) {
            for (Letter letter : letters) {
                log.error("ledger: UNRECORDED entry, neither the store nor {} could take it: {}", deadLetters.file(),
                        Json.MAPPER.writeValueAsString(letter));
            }
        }
        IllegalStateException stopped = new IllegalStateException("ledger: stopped before the store could write");
        left.forEach(e -> fail(e, stopped));
    }

    private Letter letter(Entry e, String reason, String error, LedgerBatch maybeWritten) {
        return new Letter(UUID.randomUUID().toString(), reason, error, clock.millis(), e.userId(), e.keyId(),
                e.balanceDelta(), e.usedDelta(), e.kind(), e.reference(), e.note(), e.record(),
                maybeWritten == null ? null : mark.writerId(), maybeWritten == null ? 0 : maybeWritten.sequence);
    }

    private static void fail(Entry entry, RuntimeException failure) {
        if (entry.done() != null) {
            entry.done().completeExceptionally(failure);
        }
        if (entry.applied() != null) {
            entry.applied().completeExceptionally(failure);
        }
    }

    /**
     * Writes everything queued, then stops the thread. While the store cannot write, waits up to
     * {@code stopWaitMs} for it, then moves what is left to the dead-letter file.
     */
    void stop() {
        stopDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timing.stopWaitMs());
        running = false;
        queue.add(WAKE);
        LockSupport.unpark(thread);
        try {
            thread.join(timing.stopWaitMs() + 30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("ledger: the writer did not stop; {} entries queued", queue.size());
        }
    }
}

package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.LedgerStatements.Delta;
import dev.antler.billing.LedgerStatements.LedgerRow;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import dev.antler.store.StatementCache;
import dev.antler.store.StatementSource;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of balances in this process. Settlements (a usage row plus a charge) and credits
 * are queued from any thread and written by one background thread in batched transactions: each
 * transaction inserts the usage rows and ledger rows and applies the summed balance deltas, so a
 * balance always equals the sum of its ledger rows. After each commit the stored balances are read
 * back into the {@link BalanceBook}.
 *
 * <p>The writer lingers up to {@code lingerMs} after the first queued entry to gather a batch (one
 * transaction for many requests), then commits. A failed transaction is retried with the same batch;
 * nothing is dropped. On a crash, what was queued but not yet committed is lost: at most the linger
 * time plus one commit of traffic.
 */
public final class LedgerWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

    private static final long MARKER = -1;
    private static final long IDLE_POLL_MS = 500;
    /** Queued by close() to end a linger at once. */
    private static final Entry WAKE = new Entry(null, MARKER, 0, 0, 0, null, null, null, null, null, false, null);

    private final Database database;
    private final BalanceBook book;
    private final Clock clock;
    private final int batchSize;
    private final long lingerMs;
    /** Used by the writer thread only. */
    private final StatementCache statements;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** The writer is sleeping out its linger (see {@link #enqueue}). */
    private volatile boolean lingering;

    public LedgerWriter(Database database, BalanceBook book, Clock clock, int lingerMs, int batchSize) {
        this.database = requireNonNull(database, "database");
        this.book = requireNonNull(book, "book");
        this.clock = requireNonNull(clock, "clock");
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
        this.statements = new StatementCache(database.dialect());
        this.thread = Thread.ofPlatform().name("antler-ledger-writer").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Queues a finished request: its usage row, and its charge against the user and key. */
    public void settle(UsageRecord record) {
        enqueue(new Entry(record, record.userId(), record.keyId(), -record.costNanos(), record.costNanos(),
                "charge", record.requestId(), null, null, null, true, null));
    }

    /**
     * Queues a change that applies only if its guard holds inside the same transaction: the guard's own
     * row update (say a task's status compare-and-set) and the balance change commit together or not at
     * all. Completes with whether it applied. A change rejected by its guard still releases what it had
     * pending in the {@link BalanceBook}.
     */
    public CompletableFuture<Boolean> guarded(GuardedChange c) {
        CompletableFuture<Boolean> applied = new CompletableFuture<>();
        enqueue(new Entry(c.record(), c.userId(), c.keyId(), c.balanceDelta(), c.usedDelta(), c.kind(),
                c.reference(), c.note(), null, c.guard(), c.pendingInBook(), applied));
        return applied;
    }

    /**
     * Adds {@code amount} (negative to deduct) to a user's balance with a ledger row of {@code kind};
     * completes with the new stored balance once committed.
     */
    public CompletableFuture<Long> credit(long userId, long amount, String kind, String reference, String note) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueue(new Entry(null, userId, 0, amount, 0, kind, reference, note, done, null, false, null));
        return done;
    }

    /** Completes once everything queued before this call has been committed. */
    public CompletableFuture<Void> flushed() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        enqueue(new Entry(null, MARKER, 0, 0, 0, null, null, null, done, null, false, null));
        return done.thenApply(balance -> null);
    }

    /**
     * Queues an entry. The writer is woken by the first entry of a batch (the queue's own signal) and
     * then sleeps out its linger; later entries wake it only when they fill a batch, so a busy relay
     * does not pay a thread wake-up per request.
     */
    private void enqueue(Entry entry) {
        queue.add(entry);
        if (lingering && queue.size() >= batchSize) {
            LockSupport.unpark(thread);
        }
    }

    /** Entries queued and not yet committed. */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                writeWithRetry(batch);
                batch.clear();
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
        lingering = true;
        try {
            long wait;
            while (running && batch.size() + queue.size() < batchSize && (wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            lingering = false;
        }
        queue.drainTo(batch, batchSize - batch.size());
        batch.removeIf(e -> e == WAKE);
    }

    /**
     * Writes the batch, retrying while the store is unreachable (nothing is dropped during an outage).
     * If the batch fails while the store answers, one entry is bad (say a credit for a deleted user):
     * the entries are written one by one and only a bad one is set aside, logged in full for
     * reconciliation, so it cannot block every later settlement.
     */
    private void writeWithRetry(List<Entry> batch) throws InterruptedException {
        long backoff = 100;
        while (true) {
            RuntimeException failure = tryWrite(batch);
            if (failure == null) {
                return;
            }
            if (storeAnswers()) {
                if (batch.size() > 1) {
                    for (Entry entry : batch) {
                        writeWithRetry(List.of(entry));
                    }
                } else {
                    setAside(batch.get(0), failure);
                }
                return;
            }
            log.error("ledger write of {} entries failed, store unreachable; retrying in {} ms", batch.size(),
                    backoff, failure);
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 5_000);
        }
    }

    private RuntimeException tryWrite(List<Entry> batch) {
        try {
            write(batch);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private boolean storeAnswers() {
        try {
            return database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void setAside(Entry entry, RuntimeException failure) {
        log.error("ledger entry rejected by the store and set aside: user={} key={} balanceDelta={} kind={} reference={} "
                        + "usage={}", entry.userId, entry.keyId, entry.balanceDelta, entry.kind, entry.reference,
                entry.record, failure);
        if (entry.done != null) {
            entry.done.completeExceptionally(failure);
        }
        if (entry.applied != null) {
            entry.applied.completeExceptionally(failure);
        }
    }

    private void write(List<Entry> batch) {
        long now = clock.millis();
        Map<Long, Delta> userDeltas = new HashMap<>();
        Map<Long, Delta> keyDeltas = new HashMap<>();
        boolean[] applied = new boolean[batch.size()];
        List<UsageRecord> usageRows = new ArrayList<>(batch.size());
        List<LedgerRow> ledgerRows = new ArrayList<>(batch.size());
        Map<Long, Long> balances = new HashMap<>();
        Map<Long, Long> keyRemaining = new HashMap<>();
        inTransaction(h -> {
            userDeltas.clear();
            keyDeltas.clear();
            Arrays.fill(applied, false);
            usageRows.clear();
            ledgerRows.clear();
            for (int i = 0; i < batch.size(); i++) {
                Entry e = batch.get(i);
                if (e.userId == MARKER) {
                    continue;
                }
                // Users and keys of rejected entries are read back too: their pending amounts are released.
                Delta u = userDeltas.computeIfAbsent(e.userId, id -> new Delta());
                Delta k = e.keyId > 0 ? keyDeltas.computeIfAbsent(e.keyId, id -> new Delta()) : null;
                if (e.inBook) {
                    u.pendingInBook += e.usedDelta;
                    if (k != null) {
                        k.pendingInBook += e.usedDelta;
                    }
                }
                if (e.guard != null && !e.guard.apply(h)) {
                    continue;
                }
                applied[i] = true;
                u.balance += e.balanceDelta;
                u.used += e.usedDelta;
                if (e.record != null) {
                    usageRows.add(e.record);
                    u.requests++;
                }
                if (k != null) {
                    k.used += e.usedDelta;
                    k.requests += e.record != null ? 1 : 0;
                }
                if (e.balanceDelta != 0) {
                    ledgerRows.add(new LedgerRow(e.userId, e.balanceDelta, e.kind, e.reference, e.note, now));
                }
            }
            StatementSource source = beginStatements(h);
            boolean failed = true;
            try {
                LedgerStatements.insertUsage(source, usageRows);
                LedgerStatements.insertLedger(source, ledgerRows);
                balances.clear();
                balances.putAll(LedgerStatements.addToUsers(source, userDeltas));
                keyRemaining.clear();
                keyRemaining.putAll(LedgerStatements.addToKeys(source, keyDeltas, now));
                failed = false;
            } finally {
                statements.end(failed);
            }
        });
        for (Map.Entry<Long, Delta> u : userDeltas.entrySet()) {
            book.userCommitted(u.getKey(), u.getValue().pendingInBook, balances.get(u.getKey()));
        }
        for (Map.Entry<Long, Long> k : keyRemaining.entrySet()) {
            book.keyCommitted(k.getKey(), keyDeltas.get(k.getKey()).pendingInBook, k.getValue());
        }
        for (int i = 0; i < batch.size(); i++) {
            Entry e = batch.get(i);
            if (e.done != null) {
                e.done.complete(balances.get(e.userId));
            }
            if (e.applied != null) {
                e.applied.complete(applied[i]);
            }
        }
    }

    private StatementSource beginStatements(Handle h) {
        try {
            return statements.begin(h.getConnection());
        } catch (SQLException e) {
            throw new IllegalStateException("ledger: store connection unusable: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one transaction. On SQLite the connection keeps temporary files in memory
     * meanwhile: a multi-row insert keeps a statement journal of the pages it changes (to undo its
     * earlier rows if a later one fails), and past 64 KiB SQLite spilled it to a new temporary file in
     * every transaction. The setting is read when the transaction begins and is restored afterwards, so
     * large sorts of other queries on the pooled connection still spill to disk.
     */
    private void inTransaction(HandleConsumer<RuntimeException> work) {
        if (database.dialect() != Dialect.SQLITE) {
            database.jdbi().useTransaction(work);
            return;
        }
        database.jdbi().useHandle(h -> {
            h.execute("PRAGMA temp_store = MEMORY");
            try {
                h.useTransaction(work);
            } finally {
                restoreTempStore(h);
            }
        });
    }

    /** Never throws: the transaction may have committed already, and a failure here would write it again. */
    private static void restoreTempStore(Handle h) {
        try {
            h.execute("PRAGMA temp_store = DEFAULT");
        } catch (RuntimeException e) {
            log.warn("ledger: could not restore temp_store on a store connection", e);
        }
    }

    /** Writes everything queued, then stops the writer thread. */
    @Override
    public void close() {
        running = false;
        queue.add(WAKE);
        LockSupport.unpark(thread);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            log.error("ledger writer stopped with {} entries unwritten", queue.size());
        }
    }

    private record Entry(UsageRecord record, long userId, long keyId, long balanceDelta, long usedDelta, String kind,
                         String reference, String note, CompletableFuture<Long> done, GuardedChange.Guard guard,
                         boolean inBook, CompletableFuture<Boolean> applied) {}
}

package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
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
        Map<Long, long[]> userDeltas = new HashMap<>();   // balance delta, used delta, requests
        Map<Long, long[]> keyDeltas = new HashMap<>();    // used delta, requests
        Map<Long, Long> balances = new HashMap<>();
        Map<Long, Long> keyRemaining = new HashMap<>();
        List<Entry> accepted = new ArrayList<>();
        Set<Entry> applied = Collections.newSetFromMap(new IdentityHashMap<>());
        database.jdbi().useTransaction(h -> {
            userDeltas.clear();
            keyDeltas.clear();
            balances.clear();
            keyRemaining.clear();
            accepted.clear();
            applied.clear();
            for (Entry e : batch) {
                if (e.userId == MARKER) {
                    continue;
                }
                // Users and keys of rejected entries are read back too: their pending amounts are released.
                long[] u = userDeltas.computeIfAbsent(e.userId, id -> new long[3]);
                long[] k = e.keyId > 0 ? keyDeltas.computeIfAbsent(e.keyId, id -> new long[2]) : null;
                if (e.guard != null && !e.guard.apply(h)) {
                    continue;
                }
                accepted.add(e);
                applied.add(e);
                u[0] += e.balanceDelta;
                u[1] += e.usedDelta;
                if (e.record != null) {
                    u[2]++;
                }
                if (k != null) {
                    k[0] += e.usedDelta;
                    k[1] += e.record != null ? 1 : 0;
                }
            }
            insertUsage(h, accepted);
            insertLedger(h, accepted, now);
            for (Map.Entry<Long, long[]> u : userDeltas.entrySet()) {
                h.createUpdate("UPDATE users SET balance_nanos = balance_nanos + :delta, used_nanos = used_nanos + :used, "
                                + "request_count = request_count + :requests WHERE id = :id")
                        .bind("delta", u.getValue()[0]).bind("used", u.getValue()[1])
                        .bind("requests", u.getValue()[2]).bind("id", u.getKey()).execute();
                balances.put(u.getKey(), h.createQuery("SELECT balance_nanos FROM users WHERE id = :id")
                        .bind("id", u.getKey()).mapTo(Long.class).one());
            }
            for (Map.Entry<Long, long[]> k : keyDeltas.entrySet()) {
                h.createUpdate("UPDATE api_keys SET used_nanos = used_nanos + :used, request_count = request_count + "
                                + ":requests, last_used_at = :now WHERE id = :id")
                        .bind("used", k.getValue()[0]).bind("requests", k.getValue()[1]).bind("now", now)
                        .bind("id", k.getKey()).execute();
                h.createQuery("SELECT spend_limit_nanos, used_nanos FROM api_keys WHERE id = :id")
                        .bind("id", k.getKey())
                        .map((rs, ctx) -> {
                            long limit = rs.getLong(1);
                            return rs.wasNull() ? null : limit - rs.getLong(2);
                        })
                        .findOne()
                        .ifPresent(remaining -> keyRemaining.put(k.getKey(), remaining));
            }
        });
        for (Long userId : userDeltas.keySet()) {
            book.userCommitted(userId, pendingInBook(batch, userId, false), balances.get(userId));
        }
        for (Map.Entry<Long, Long> k : keyRemaining.entrySet()) {
            book.keyCommitted(k.getKey(), pendingInBook(batch, k.getKey(), true), k.getValue());
        }
        for (Entry e : batch) {
            if (e.done != null) {
                e.done.complete(balances.get(e.userId));
            }
            if (e.applied != null) {
                e.applied.complete(applied.contains(e));
            }
        }
    }

    /**
     * What the batch's entries had pending in the book for one user (or key): settled charges, accepted
     * or not — the store's read-back value replaces them either way.
     */
    private static long pendingInBook(List<Entry> batch, long id, boolean key) {
        long sum = 0;
        for (Entry e : batch) {
            if (e.inBook && e.userId != MARKER && (key ? e.keyId == id : e.userId == id)) {
                sum += e.usedDelta;
            }
        }
        return sum;
    }

    // Plain JDBC batches with positional parameters: Jdbi's named binding cost about as much CPU as
    // SQLite's own work on these two inserts (profile of the issue 7 benchmark).
    private static final String INSERT_USAGE = "INSERT INTO usage_logs (request_id, created_at, user_id, key_id, "
            + "endpoint, model, upstream_model, channel_id, status_code, stream, prompt_tokens, completion_tokens, "
            + "cached_tokens, cache_write_tokens, units, cost_nanos, latency_ms, first_byte_ms, end_reason, "
            + "billed_basis, attempts, error, attempt_log) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LEDGER = "INSERT INTO ledger (user_id, amount_nanos, kind, reference, note, "
            + "created_at) VALUES (?, ?, ?, ?, ?, ?)";

    private static void insertUsage(Handle h, List<Entry> batch) {
        try (PreparedStatement insert = h.getConnection().prepareStatement(INSERT_USAGE)) {
            int rows = 0;
            for (Entry e : batch) {
                UsageRecord r = e.record;
                if (r == null) {
                    continue;
                }
                Usage u = r.usage();
                insert.setString(1, r.requestId());
                insert.setLong(2, r.createdAt());
                insert.setLong(3, r.userId());
                insert.setLong(4, r.keyId());
                insert.setString(5, r.endpoint());
                insert.setString(6, r.model());
                setString(insert, 7, r.upstreamModel());
                setLong(insert, 8, r.channelId());
                insert.setInt(9, r.statusCode());
                insert.setInt(10, r.stream() ? 1 : 0);
                insert.setLong(11, u.promptTokens());
                insert.setLong(12, u.completionTokens());
                insert.setLong(13, u.cachedTokens());
                insert.setLong(14, u.cacheWriteTokens());
                insert.setLong(15, Math.max(u.images(), u.seconds()));
                insert.setLong(16, r.costNanos());
                insert.setLong(17, r.latencyMs());
                setLong(insert, 18, r.firstByteMs());
                insert.setString(19, r.endReason());
                insert.setString(20, r.billedBasis());
                insert.setInt(21, r.attempts());
                setString(insert, 22, r.error());
                setString(insert, 23, r.attemptLog());
                insert.addBatch();
                rows++;
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage_logs: insert of a batch failed: " + e.getMessage(), e);
        }
    }

    private static void insertLedger(Handle h, List<Entry> batch, long now) {
        try (PreparedStatement insert = h.getConnection().prepareStatement(INSERT_LEDGER)) {
            int rows = 0;
            for (Entry e : batch) {
                if (e.balanceDelta == 0 || e.userId == MARKER) {
                    continue;
                }
                insert.setLong(1, e.userId);
                insert.setLong(2, e.balanceDelta);
                insert.setString(3, e.kind);
                setString(insert, 4, e.reference);
                setString(insert, 5, e.note);
                insert.setLong(6, now);
                insert.addBatch();
                rows++;
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger: insert of a batch failed: " + e.getMessage(), e);
        }
    }

    private static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
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

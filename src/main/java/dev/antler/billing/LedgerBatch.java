package dev.antler.billing;

import dev.antler.billing.LedgerStatements.Delta;
import dev.antler.billing.LedgerStatements.LedgerRow;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import dev.antler.store.StatementCache;
import dev.antler.store.StatementSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction of the {@link LedgerWriter}: inserts the batch's usage rows (and adds them to the hourly
 * {@link UsageRollup}), applies the summed balance deltas, inserts the ledger rows, stamps the batch's sequence number on
 * the writer's row, and reads the new balances back. What the transaction computed is kept after it ends, so a batch whose commit failed
 * but happened all the same (see {@link WriterMark}) is finished from it without being written twice.
 */
final class LedgerBatch {

    private static final Logger log = LoggerFactory.getLogger(LedgerBatch.class);

    final List<LedgerWriter.Entry> entries;
    final long sequence;
    private final boolean[] applied;
    // Sorted: rows are updated in id order, so the writers of instances sharing the store do not deadlock.
    private final Map<Long, Delta> userDeltas = new TreeMap<>();
    private final Map<Long, Delta> keyDeltas = new TreeMap<>();
    private final Map<Long, Long> balances = new HashMap<>();
    private final Map<Long, Long> keyRemaining = new HashMap<>();
    private final Map<Long, StoredHolds.Balance> shared = new HashMap<>();
    /** The last attempt ran to its commit: if the commit failed, it may have happened nonetheless. */
    private boolean reachedCommit;

    LedgerBatch(List<LedgerWriter.Entry> entries, long sequence) {
        this.entries = entries;
        this.sequence = sequence;
        this.applied = new boolean[entries.size()];
    }

    boolean reachedCommit() {
        return reachedCommit;
    }

    /** Runs the transaction once; throws what the store threw. */
    void write(Database database, StatementCache statements, WriterMark mark, StoredHolds holds, long now) {
        reachedCommit = false;
        inTransaction(database, h -> {
            collect(h, now);
            StatementSource source = begin(statements, h);
            boolean failed = true;
            try {
                List<UsageRecord> usage = usageRows();
                LedgerStatements.insertUsage(source, usage);
                UsageRollup.add(source, database.dialect(), usage, repricings());
                // The users' rows are locked for update before the ledger rows go in: on MySQL a ledger row's
                // foreign key check takes a shared lock on its user's row, and upgrading that lock later deadlocks
                // with a hold taker queued for the row (StoreHolds locks users, then keys, then cluster_holds).
                balances.clear();
                balances.putAll(LedgerStatements.addToUsers(source, userDeltas));
                keyRemaining.clear();
                keyRemaining.putAll(LedgerStatements.addToKeys(source, keyDeltas, now));
                LedgerStatements.insertLedger(source, ledgerRows(now));
                holds.releaseIn(source, requestIds());
                shared.clear();
                shared.putAll(holds.balancesIn(source, userDeltas.keySet()));
                mark.stamp(source, sequence, now);
                failed = false;
            } finally {
                statements.end(failed);
            }
            reachedCommit = true;
        });
    }

    /** After the commit: the book learns the stored balances, and waiting callers their results. */
    void finish(BalanceBook book) {
        book.storedHolds().released(requestIds(), shared);
        for (Map.Entry<Long, Delta> u : userDeltas.entrySet()) {
            book.userCommitted(u.getKey(), u.getValue().pendingInBook, balances.get(u.getKey()),
                    u.getValue().pendingRequests);
        }
        for (Map.Entry<Long, Long> k : keyRemaining.entrySet()) {
            book.keyCommitted(k.getKey(), keyDeltas.get(k.getKey()).pendingInBook, k.getValue());
        }
        for (int i = 0; i < entries.size(); i++) {
            LedgerWriter.Entry e = entries.get(i);
            if (e.done() != null) {
                e.done().complete(balances.get(e.userId()));
            }
            if (e.applied() != null) {
                e.applied().complete(applied[i]);
            }
        }
    }

    /** Sums the entries whose guards hold into per-user and per-key deltas. */
    private void collect(Handle h, long now) {
        userDeltas.clear();
        keyDeltas.clear();
        Arrays.fill(applied, false);
        for (int i = 0; i < entries.size(); i++) {
            LedgerWriter.Entry e = entries.get(i);
            if (e.isMarker()) {
                continue;
            }
            // Users and keys of rejected entries are read back too: their pending amounts are released.
            Delta u = userDeltas.computeIfAbsent(e.userId(), id -> new Delta());
            Delta k = e.keyId() > 0 ? keyDeltas.computeIfAbsent(e.keyId(), id -> new Delta()) : null;
            if (e.inBook()) {
                u.pendingInBook += e.usedDelta();
                u.pendingRequests += e.countsRequest() ? 1 : 0;
                if (k != null) {
                    k.pendingInBook += e.usedDelta();
                }
            }
            if (e.guard() != null && !e.guard().apply(h)) {
                continue;
            }
            applied[i] = true;
            u.balance += e.balanceDelta();
            u.used += e.usedDelta();
            boolean charged = e.record() != null && e.record().costNanos() != 0;
            u.requests += charged ? 1 : 0;
            if (k != null) {
                k.used += e.usedDelta();
                k.requests += charged ? 1 : 0;
            }
        }
    }

    /** The requests whose usage rows are in the batch, written or not: their stored holds end with it. */
    private List<String> requestIds() {
        List<String> ids = new ArrayList<>(entries.size());
        for (LedgerWriter.Entry e : entries) {
            if (e.record() != null) {
                ids.add(e.record().requestId());
            }
        }
        return ids;
    }

    private List<UsageRecord> usageRows() {
        List<UsageRecord> rows = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (applied[i] && entries.get(i).record() != null) {
                rows.add(entries.get(i).record());
            }
        }
        return rows;
    }

    /** The applied changes that re-price a task's submit charge: the roll-up nets them as the summaries do. */
    private List<UsageRollup.Repricing> repricings() {
        List<UsageRollup.Repricing> out = new ArrayList<>(0);
        for (int i = 0; i < entries.size(); i++) {
            LedgerWriter.Entry e = entries.get(i);
            if (applied[i] && e.repricesTask() != null && e.usedDelta() != 0) {
                out.add(new UsageRollup.Repricing(e.repricesTask(), e.usedDelta()));
            }
        }
        return out;
    }

    private List<LedgerRow> ledgerRows(long now) {
        List<LedgerRow> rows = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            LedgerWriter.Entry e = entries.get(i);
            if (applied[i] && e.balanceDelta() != 0) {
                rows.add(new LedgerRow(e.userId(), e.balanceDelta(), e.kind(), e.reference(), e.note(), now));
            }
        }
        return rows;
    }

    private static StatementSource begin(StatementCache statements, Handle h) {
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
    private static void inTransaction(Database database, HandleConsumer<RuntimeException> work) {
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
}

package dev.antler.cluster;

import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds;
import dev.antler.billing.Usd;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import dev.antler.store.StatementSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds in {@code cluster_holds} while more than one instance is live. Taking one locks the user's row (and the
 * key's, when it has a spend limit), so takers on every instance and the ledger writers queue on it: a hold is
 * admitted only when the stored balance covers it beside every other stored hold, and a charge replaces its
 * hold in one transaction (see {@link #releaseIn}). Overspend across instances is thus bounded by what a
 * charge exceeds its hold by, as on one instance.
 */
final class StoreHolds implements StoredHolds {

    private static final Logger log = LoggerFactory.getLogger(StoreHolds.class);
    /** A stored hold whose charge was queued this long ago and is still there (its entry was set aside) goes. */
    private static final long LEFTOVER_MS = 60_000;
    private static final long OPEN = 0;
    private static final int ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final Instances instances;
    private final LongConsumer staleWallet;
    /** Request id of each hold this instance stored, and when it was settled in memory ({@link #OPEN} until then). */
    private final Map<String, Long> taken = new ConcurrentHashMap<>();

    /** {@code staleWallet} is told the user whose in-memory balance the store just contradicted. */
    StoreHolds(Database database, Clock clock, Instances instances, LongConsumer staleWallet) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
        this.clock = clock;
        this.instances = instances;
        this.staleWallet = staleWallet;
    }

    @Override
    public boolean active() {
        return instances.shared();
    }

    @Override
    public void take(Hold hold, String requestId) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useTransaction(h -> take(h, hold, requestId));
                taken.put(requestId, OPEN);
                return;
            } catch (GatewayException e) {
                staleWallet.accept(hold.userId());
                throw e;
            } catch (RuntimeException e) {
                // A deadlock or serialization failure between instances' transactions: the next try usually passes.
                if (attempt == ATTEMPTS) {
                    // the last commit may have happened all the same: the sweep deletes such a row later
                    taken.put(requestId, clock.millis());
                    log.warn("cluster: a hold could not be recorded in the store: {}", e.toString());
                    throw new GatewayException(503, ErrorKind.SERVER, "store_unavailable", "store: this request's "
                            + "hold could not be recorded in the store the gateway instances share; this request was "
                            + "refused and nothing was charged (expected: retry after 1 s)", 1);
                }
            }
        }
    }

    private void take(Handle h, Hold hold, String requestId) {
        long balance = lockedValue(h, "SELECT balance_nanos FROM users WHERE id = :id", "users", hold.userId());
        long userHeld = held(h, "user_id", hold.userId());
        if (balance - userHeld < hold.userReserved()) {
            throw GatewayException.insufficientBalance("insufficient balance: "
                    + Usd.format(Math.max(0, balance - userHeld)) + " USD available, this request needs up to "
                    + Usd.format(hold.userReserved()) + " USD (requests in flight on every gateway instance count)");
        }
        if (hold.keyReserved() > 0) {
            Long remaining = h.createQuery("SELECT spend_limit_nanos - used_nanos FROM api_keys WHERE id = :id"
                    + forUpdate()).bind("id", hold.keyId()).mapTo(Long.class).findOne().orElse(null);
            long keyHeld = remaining == null ? 0 : held(h, "key_id", hold.keyId());
            if (remaining != null && remaining - keyHeld < hold.keyReserved()) {
                throw GatewayException.insufficientBalance("key spend limit reached: "
                        + Usd.format(Math.max(0, remaining - keyHeld)) + " USD left on this key, this request needs up to "
                        + Usd.format(hold.keyReserved()) + " USD (requests in flight on every gateway instance count)");
            }
        }
        h.createUpdate("INSERT INTO cluster_holds (instance_id, request_id, user_id, key_id, user_nanos, key_nanos, "
                        + "created_at) VALUES (:instance, :request, :user, :key, :userNanos, :keyNanos, :now)")
                .bind("instance", instances.id()).bind("request", requestId).bind("user", hold.userId())
                .bind("key", hold.keyId()).bind("userNanos", hold.userReserved()).bind("keyNanos", hold.keyReserved())
                .bind("now", clock.millis()).execute();
    }

    /**
     * Reads one value of a row locked for this transaction: {@code FOR UPDATE} on PostgreSQL and MySQL; on SQLite
     * an update that changes nothing takes the database's write lock first.
     */
    private long lockedValue(Handle h, String select, String table, long id) {
        if (dialect == Dialect.SQLITE) {
            h.createUpdate("UPDATE " + table + " SET id = id WHERE id = :id").bind("id", id).execute();
        }
        return h.createQuery(select + forUpdate()).bind("id", id).mapTo(Long.class).findOne()
                .orElseThrow(() -> GatewayException.unauthorized("account: " + id + " no longer exists"));
    }

    private String forUpdate() {
        return dialect == Dialect.SQLITE ? "" : " FOR UPDATE";
    }

    private static long held(Handle h, String column, long id) {
        return h.createQuery("SELECT COALESCE(SUM(" + (column.equals("user_id") ? "user_nanos" : "key_nanos")
                        + "), 0) FROM cluster_holds WHERE " + column + " = :id")
                .bind("id", id).mapTo(Long.class).one();
    }

    @Override
    public void releaseIn(StatementSource source, List<String> requestIds) {
        if (taken.isEmpty()) {
            return;
        }
        try {
            PreparedStatement delete = null;
            for (String id : requestIds) {
                if (!taken.containsKey(id)) {
                    continue;
                }
                if (delete == null) {
                    delete = source.prepare("DELETE FROM cluster_holds WHERE instance_id = ? AND request_id = ?");
                }
                delete.setString(1, instances.id());
                delete.setString(2, id);
                delete.addBatch();
            }
            if (delete != null) {
                delete.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cluster_holds: release of a batch's holds failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void released(List<String> requestIds) {
        if (!taken.isEmpty()) {
            requestIds.forEach(taken::remove);
        }
    }

    @Override
    public void settled(Hold hold) {
        taken.computeIfPresent(hold.storedAs(), (id, open) -> clock.millis());
    }

    /** Deletes stored holds whose charge was queued long ago and never written with them (set aside, or free). */
    void sweep() {
        long cutoff = clock.millis() - LEFTOVER_MS;
        for (Map.Entry<String, Long> e : taken.entrySet()) {
            if (e.getValue() != OPEN && e.getValue() < cutoff) {
                try {
                    jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_holds WHERE instance_id = :instance "
                            + "AND request_id = :request").bind("instance", instances.id())
                            .bind("request", e.getKey()).execute());
                    taken.remove(e.getKey());
                } catch (RuntimeException failure) {
                    log.debug("cluster: leftover hold not released yet: {}", failure.toString());
                    return;
                }
            }
        }
    }
}

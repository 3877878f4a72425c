package dev.antler.cluster;

import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds;
import dev.antler.billing.Usd;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import dev.antler.store.StatementSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds in {@code cluster_holds} while more than one instance is live. Taking one locks the user's row (and the
 * key's, when it has a spend limit), so takers on every instance and the ledger writers queue on it: a hold is
 * admitted only when the stored balance covers it beside every other stored hold, and a charge replaces its
 * hold in one transaction (see {@link TakenHolds#releaseIn}). Overspend across instances is thus bounded by what a
 * charge exceeds its hold by, as on one instance.
 *
 * <p>Every transaction on these tables locks in one order: the users' rows (in id order), the instances' rows, the
 * keys' rows, then {@code cluster_holds}. The ledger writer locks its users' rows before its ledger rows' foreign
 * keys would take shared locks on them (see {@code LedgerBatch}), so takers and writers queue rather than deadlock.
 */
final class StoreHolds implements StoredHolds {

    private static final Logger log = LoggerFactory.getLogger(StoreHolds.class);
    private static final int ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final Instances instances;
    private final RedisGate gate;
    private final TakenHolds taken;
    private final LongConsumer staleWallet;

    /** {@code staleWallet} is told the user whose in-memory balance the store just contradicted. */
    StoreHolds(Database database, Clock clock, Instances instances, RedisGate gate, TakenHolds taken,
               LongConsumer staleWallet) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
        this.clock = clock;
        this.instances = instances;
        this.gate = gate;
        this.taken = taken;
        this.staleWallet = staleWallet;
    }

    @Override
    public boolean active() {
        return instances.shared();
    }

    @Override
    public void take(Hold hold, String requestId) {
        inTransaction(hold, requestId, h -> take(h, hold, requestId));
    }

    /**
     * Records only the key's part of {@code hold} (its user part is held in Redis): the key's stored remaining limit
     * must cover it beside every other stored hold on the key. Blocking.
     */
    void takeKeyPart(Hold hold, String requestId) {
        inTransaction(hold, requestId, h -> {
            checkKey(h, hold);
            insert(h, hold, requestId, 0);
        });
    }

    /** Runs {@code work} in a transaction, retried while holds are in Redis (see {@link RedisGate}) and on deadlocks. */
    private void inTransaction(Hold hold, String requestId, HandleConsumer<RuntimeException> work) {
        long gateDeadline = gate.deadline();
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useTransaction(work);
                taken.recorded(requestId);
                return;
            } catch (GatewayException e) {
                staleWallet.accept(hold.userId());
                throw e;
            } catch (RedisGate.HoldsInRedis e) {
                attempt--;
                gate.await(gateDeadline, e);
            } catch (RuntimeException e) {
                // The lock order rules deadlocks out between instances; a store that fails otherwise may pass again.
                log.info("cluster: a hold's transaction failed (try {} of {}): {}", attempt, ATTEMPTS, e.toString());
                if (attempt == ATTEMPTS) {
                    taken.unsure(requestId);
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
        gate.check(h);
        long userHeld = held(h, "user_id", hold.userId());
        if (balance - userHeld < hold.userReserved()) {
            throw GatewayException.insufficientBalance("insufficient balance: "
                    + Usd.format(Math.max(0, balance - userHeld)) + " USD available, this request needs up to "
                    + Usd.format(hold.userReserved()) + " USD (requests in flight on every gateway instance count)");
        }
        checkKey(h, hold);
        insert(h, hold, requestId, hold.userReserved());
    }

    private void checkKey(Handle h, Hold hold) {
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
    }

    private void insert(Handle h, Hold hold, String requestId, long userNanos) {
        h.createUpdate("INSERT INTO cluster_holds (instance_id, request_id, user_id, key_id, user_nanos, key_nanos, "
                        + "created_at) VALUES (:instance, :request, :user, :key, :userNanos, :keyNanos, :now)")
                .bind("instance", instances.id()).bind("request", requestId).bind("user", hold.userId())
                .bind("key", hold.keyId()).bind("userNanos", userNanos).bind("keyNanos", hold.keyReserved())
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

    /** Store holds wait from now on while a live instance keeps holds in Redis (see {@link RedisGate#close}). */
    void gateOnRedis(BooleanSupplier backToRedis) {
        gate.close(backToRedis);
    }

    /** The request was refused after all: whatever the store holds for it goes (now, or with the next sweep). */
    void discard(String requestId) {
        taken.discard(requestId);
    }

    @Override
    public void releaseIn(StatementSource source, List<String> requestIds) {
        taken.releaseIn(source, requestIds);
    }

    @Override
    public void released(List<String> requestIds, Map<Long, Balance> balances) {
        taken.released(requestIds);
    }

    @Override
    public void settled(Hold hold) {
        taken.settled(hold.storedAs());
    }
}

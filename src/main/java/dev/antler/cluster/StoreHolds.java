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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * hold in one transaction (see {@link #releaseIn}). Overspend across instances is thus bounded by what a
 * charge exceeds its hold by, as on one instance.
 */
final class StoreHolds implements StoredHolds {

    private static final Logger log = LoggerFactory.getLogger(StoreHolds.class);
    /** A stored hold whose charge was queued this long ago and is still there (its entry was set aside) goes. */
    private static final long LEFTOVER_MS = 60_000;
    private static final long OPEN = 0;
    /** A settled time long past: the sweep deletes the row at its next run. */
    private static final long SWEEP_NOW = 1;
    private static final int ATTEMPTS = 3;
    /** How long a store hold waits for the instances that keep holds in Redis to move them here. */
    private static final long GATE_WAIT_MS = 5_000;
    private static final long GATE_PAUSE_MS = 50;

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final Instances instances;
    private final LongConsumer staleWallet;
    /** Request id of each hold this instance stored, and when it was settled in memory ({@link #OPEN} until then). */
    private final Map<String, Long> taken = new ConcurrentHashMap<>();
    private volatile boolean gated;
    private volatile BooleanSupplier backToRedis = () -> false;
    /** The holds the last ledger transaction deleted (the writer's thread only). */
    private volatile Set<String> deletedInBatch = Set.of();
    private final Object adoption = new Object();
    private boolean adopting;
    private final Set<String> releasedWhileAdopting = new HashSet<>();

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

    /** Runs {@code work} in a transaction, retried on deadlocks and while holds are in Redis (see {@link #gate}). */
    private void inTransaction(Hold hold, String requestId, HandleConsumer<RuntimeException> work) {
        long gateDeadline = clock.millis() + GATE_WAIT_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useTransaction(work);
                taken.put(requestId, OPEN);
                return;
            } catch (GatewayException e) {
                staleWallet.accept(hold.userId());
                throw e;
            } catch (HoldsInRedis e) {
                if (clock.millis() > gateDeadline) {
                    throw holdsMoving();
                }
                attempt--;
                pause();
                if (backToRedis.getAsBoolean()) {
                    throw e; // this instance takes holds in Redis again: the caller takes this one there
                }
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
        gate(h);
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
     * Once holds may be in Redis: a user's hold is taken here only while no live instance keeps its holds there
     * (those holds are not in this table). The live instances' rows are read locked, so an instance cannot start
     * keeping holds in Redis until this hold is committed and counted in what it mirrors.
     */
    private void gate(Handle h) {
        if (!gated) {
            return;
        }
        String lock = switch (dialect) {
            case SQLITE -> "";
            case MYSQL -> " LOCK IN SHARE MODE";
            default -> " FOR SHARE";
        };
        List<Integer> states = h.createQuery("SELECT redis_state FROM cluster_instances WHERE heartbeat_at >= :since"
                + lock).bind("since", instances.liveSince()).mapTo(Integer.class).list();
        if (states.contains(HoldsPlacement.IN_REDIS)) {
            throw HoldsInRedis.INSTANCE;
        }
    }

    /** The 503 of a hold that found the instances switching between Redis and the store for too long. */
    static GatewayException holdsMoving() {
        return new GatewayException(503, ErrorKind.SERVER, "holds_moving", "holds: the gateway instances are moving "
                + "their balance holds between Redis and the store; this request was refused and nothing was charged "
                + "(expected: retry after 1 s)", 1);
    }

    /** Holds are taken in Redis by some live instance: this store hold waits until they move here. */
    static final class HoldsInRedis extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final HoldsInRedis INSTANCE = new HoldsInRedis();

        private HoldsInRedis() {
            super("holds are in redis", null, false, false);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(GATE_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holds move to the store", e);
        }
    }

    /**
     * From now on a user's hold is taken here only while no live instance keeps holds in Redis; a hold waiting for
     * that gives up (with {@link HoldsInRedis}) once {@code backToRedis} says this instance takes holds there again.
     */
    void gateOnRedis(BooleanSupplier backToRedis) {
        this.backToRedis = backToRedis;
        this.gated = true;
    }

    /**
     * Records holds this instance took in Redis (it stops taking them there) and stamps {@code state} on its
     * row, in one transaction: from the commit, the store counts every hold in flight on this instance.
     */
    void adopt(List<Copied> holds, int state) {
        synchronized (adoption) {
            adopting = true;
        }
        jdbi.useTransaction(h -> {
            for (Copied c : holds) {
                int updated = h.createUpdate("UPDATE cluster_holds SET user_nanos = :userNanos WHERE instance_id = "
                                + ":instance AND request_id = :request").bind("userNanos", c.userNanos())
                        .bind("instance", instances.id()).bind("request", c.requestId()).execute();
                if (updated == 0) {
                    h.createUpdate("INSERT INTO cluster_holds (instance_id, request_id, user_id, key_id, user_nanos, "
                                    + "key_nanos, created_at) VALUES (:instance, :request, :user, :key, :userNanos, 0, "
                                    + ":now)").bind("instance", instances.id()).bind("request", c.requestId())
                            .bind("user", c.userId()).bind("key", c.keyId()).bind("userNanos", c.userNanos())
                            .bind("now", clock.millis()).execute();
                }
            }
            instances.stampRedisState(h, state);
        });
        synchronized (adoption) {
            for (Copied c : holds) {
                if (releasedWhileAdopting.contains(c.requestId())) {
                    taken.put(c.requestId(), SWEEP_NOW); // its charge was written meanwhile: the copy goes again
                } else {
                    taken.merge(c.requestId(), c.settledAt(), (had, copied) -> had != OPEN ? had : copied);
                }
            }
            adopting = false;
            releasedWhileAdopting.clear();
        }
    }

    /**
     * Holds are about to be handed over from Redis ({@link #adopt}): from now until they are adopted, the requests
     * whose charges are written are noted, so that no copy outlives its charge.
     */
    void beginAdoption() {
        synchronized (adoption) {
            adopting = true;
        }
    }

    /** The request was refused after all: whatever the store holds for it goes (now, or with the next sweep). */
    void discard(String requestId) {
        taken.put(requestId, SWEEP_NOW);
        try {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_holds WHERE instance_id = :instance AND "
                    + "request_id = :request").bind("instance", instances.id()).bind("request", requestId).execute());
            taken.remove(requestId);
        } catch (RuntimeException e) {
            log.debug("cluster: a refused request's hold is deleted with the next sweep: {}", e.toString());
        }
    }

    /** A hold taken in Redis, to be kept in the store: {@code settledAt} is 0 while its request runs. */
    record Copied(String requestId, long userId, long keyId, long userNanos, long settledAt) {}

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
        deletedInBatch = Set.of();
        if (taken.isEmpty()) {
            return;
        }
        try {
            PreparedStatement delete = null;
            Set<String> deleted = new HashSet<>();
            for (String id : requestIds) {
                if (!taken.containsKey(id)) {
                    continue;
                }
                deleted.add(id);
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
            deletedInBatch = deleted;
        } catch (SQLException e) {
            throw new IllegalStateException("cluster_holds: release of a batch's holds failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void released(List<String> requestIds, Map<Long, Balance> balances) {
        synchronized (adoption) {
            if (adopting) {
                releasedWhileAdopting.addAll(requestIds);
            }
        }
        if (!taken.isEmpty()) {
            for (String id : requestIds) {
                // a hold copied from Redis after the transaction's delete ran: its row goes with the next sweep
                taken.computeIfPresent(id, (request, at) -> deletedInBatch.contains(request) ? null : SWEEP_NOW);
            }
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

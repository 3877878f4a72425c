package dev.antler.cluster;

import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds;
import dev.antler.redis.RedisHolds;
import dev.antler.store.StatementSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the holds of instances sharing the store are taken: in Redis when {@code redis.url} is set and every live
 * instance reaches it, else in the store ({@link StoreHolds}). The two never mix: an instance starts taking holds
 * in Redis only after stamping so on its row, which stops new store holds of users anywhere (see
 * {@link RedisGate}); one that stops copies its Redis holds in flight into the store before stamping that it
 * stopped, and store holds wait until no live instance takes holds in Redis. A key's spend limit is always held in
 * the store. Each switch is logged once; {@link #step} runs on the cluster thread after each heartbeat.
 */
final class HoldsPlacement implements StoredHolds {

    private static final Logger log = LoggerFactory.getLogger(HoldsPlacement.class);
    static final int NO_REDIS = 0;
    static final int REACHES_REDIS = 1;
    static final int IN_REDIS = 2;
    /** How many times a hold may go between Redis and the store while the instances switch. */
    private static final int SWITCH_ATTEMPTS = 8;

    private final StoreHolds store;
    private final HoldAdoption adoption;
    private final Instances instances;
    private final MirroredBalances balances;
    private final LongConsumer staleWallet;
    private volatile RedisHolds redis;
    /** Holds handed over by Redis but not yet in the store (the store failed): this instance stays at IN_REDIS. */
    private volatile List<RedisHolds.Held> handedOver = List.of();

    HoldsPlacement(StoreHolds store, HoldAdoption adoption, Instances instances, MirroredBalances balances,
                   LongConsumer staleWallet) {
        this.store = store;
        this.adoption = adoption;
        this.instances = instances;
        this.balances = balances;
        this.staleWallet = staleWallet;
        instances.reportRedisState(this::redisState);
    }

    /** Holds may be taken in {@code holds} from now on (while every live instance reaches Redis). */
    void onRedis(RedisHolds holds) {
        this.redis = holds;
        store.gateOnRedis(() -> holds.admitting() && holds.up());
    }

    /** Whether this instance takes its holds in Redis now. */
    boolean inRedis() {
        RedisHolds r = redis;
        return r != null && r.admitting();
    }

    private int redisState() {
        RedisHolds r = redis;
        if (r == null) {
            return NO_REDIS;
        }
        return r.admitting() || !handedOver.isEmpty() ? IN_REDIS : r.up() ? REACHES_REDIS : NO_REDIS;
    }

    /** After a heartbeat: moves this instance's holds to Redis or back to the store as the live instances agree. */
    void step() {
        RedisHolds r = redis;
        if (r == null) {
            return;
        }
        boolean wanted = instances.shared() && r.up() && instances.lowestRedisState() >= REACHES_REDIS;
        try {
            if (!handedOver.isEmpty() || r.admitting() && (!wanted || r.lostData())) {
                leave(r);
            } else if (!r.admitting() && wanted) {
                enter(r);
            }
        } catch (RuntimeException e) {
            log.warn("cluster: balance holds not moved yet ({}); tried again with the next heartbeat", e.toString());
        }
    }

    private void enter(RedisHolds r) {
        instances.stampAlone(IN_REDIS);
        try {
            r.beginAdmitting();
        } catch (RuntimeException e) {
            instances.stampAlone(redisState());
            throw e;
        }
        log.info("cluster: balance holds are taken in Redis ({} instances live, all reach it)", instances.live());
    }

    private void leave(RedisHolds r) {
        boolean was = r.admitting();
        if (was) {
            adoption.begin(); // before the hand-over: no charge written meanwhile is missed
            handedOver = r.stopAdmitting();
        }
        List<HoldAdoption.Copied> copies = handedOver.stream().map(h -> new HoldAdoption.Copied(h.requestId(),
                h.hold().userId(), h.hold().keyId(), h.hold().userReserved(), h.settledAt())).toList();
        adoption.adopt(copies, r.up() ? REACHES_REDIS : NO_REDIS);
        handedOver = List.of();
        if (was) {
            log.warn("cluster: balance holds are taken in the store again ({}); {} holds in flight moved there",
                    r.lostData() ? "Redis lost its data" : r.up() ? "an instance cannot reach Redis or is alone"
                            : "Redis is unreachable", copies.size());
        }
    }

    @Override
    public boolean active() {
        return store.active();
    }

    @Override
    public void take(Hold hold, String requestId) {
        store.take(hold, requestId);
    }

    @Override
    public CompletableFuture<Void> takeAsync(Hold hold, String requestId, Executor blocking) {
        return takeAsync(hold, requestId, blocking, 1);
    }

    /** Redis when this instance takes holds there, else the store; a hold caught between the two tries again. */
    private CompletableFuture<Void> takeAsync(Hold hold, String requestId, Executor blocking, int attempt) {
        RedisHolds r = redis;
        if (r == null || !r.admitting()) {
            return inStore(hold, requestId, blocking, attempt);
        }
        return r.take(hold, requestId, blocking, balances::read).handle((ok, failure) -> {
            Throwable cause = unwrap(failure);
            if (cause == null) {
                return hold.keyReserved() > 0 ? keyPart(r, hold, requestId, blocking)
                        : CompletableFuture.<Void>completedFuture(null);
            }
            if (cause instanceof RedisHolds.Unavailable) {
                return inStore(hold, requestId, blocking, attempt);
            }
            staleWallet.accept(hold.userId());
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(next -> next);
    }

    /**
     * The hold in the store, which waits while some instance still takes holds in Redis; should this instance
     * take holds in Redis again meanwhile, the hold goes there.
     */
    private CompletableFuture<Void> inStore(Hold hold, String requestId, Executor blocking, int attempt) {
        return StoredHolds.super.takeAsync(hold, requestId, blocking).handle((ok, failure) -> {
            if (failure == null || !(unwrap(failure) instanceof RedisGate.HoldsInRedis)) {
                return failure == null ? CompletableFuture.<Void>completedFuture(null)
                        : CompletableFuture.<Void>failedFuture(unwrap(failure));
            }
            return attempt < SWITCH_ATTEMPTS ? takeAsync(hold, requestId, blocking, attempt + 1)
                    : CompletableFuture.<Void>failedFuture(RedisGate.holdsMoving());
        }).thenCompose(next -> next);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException c ? c.getCause() : failure;
    }

    /** The key's spend limit is held in the store; refused there, the Redis hold ends unused. */
    private CompletableFuture<Void> keyPart(RedisHolds r, Hold hold, String requestId, Executor blocking) {
        return CompletableFuture.runAsync(() -> {
            try {
                store.takeKeyPart(hold, requestId);
            } catch (RuntimeException e) {
                r.cancel(requestId, hold.userId());
                store.discard(requestId); // in case the hold was handed over to the store meanwhile
                throw e;
            }
        }, blocking);
    }

    @Override
    public void releaseIn(StatementSource source, List<String> requestIds) {
        store.releaseIn(source, requestIds);
    }

    @Override
    public Map<Long, Balance> balancesIn(StatementSource source, Collection<Long> userIds) {
        return redis == null || !instances.shared() ? Map.of() : MirroredBalances.in(source, userIds);
    }

    @Override
    public void released(List<String> requestIds, Map<Long, Balance> stored) {
        // Redis first: a hold it still hands over now is one whose release the store notes (see beginAdoption)
        RedisHolds r = redis;
        if (r != null) {
            r.released(requestIds, stored);
        }
        store.released(requestIds, stored);
    }

    @Override
    public void settled(Hold hold) {
        // Redis first: a hold it hands over unsettled now is one whose settlement the store notes (see adoption)
        RedisHolds r = redis;
        if (r != null) {
            r.settled(hold.storedAs());
        }
        store.settled(hold);
    }
}

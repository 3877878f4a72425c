package dev.antler.cluster;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.store.Dialect;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;

/**
 * Once holds may be in Redis: a user's hold is taken in the store only while no live instance keeps its holds there
 * (those holds are not in {@code cluster_holds}). A store hold meeting one waits, up to {@link #WAIT_MS}, for the
 * instances to move their holds to the store.
 */
final class RedisGate {

    /** How long a store hold waits for the instances that keep holds in Redis to move them here. */
    private static final long WAIT_MS = 5_000;
    private static final long PAUSE_MS = 50;

    private final Dialect dialect;
    private final Clock clock;
    private final Instances instances;
    private volatile boolean gated;
    private volatile BooleanSupplier backToRedis = () -> false;

    RedisGate(Dialect dialect, Clock clock, Instances instances) {
        this.dialect = dialect;
        this.clock = clock;
        this.instances = instances;
    }

    /**
     * From now on a store hold is taken only while no live instance keeps holds in Redis; one waiting for that gives
     * up (with {@link HoldsInRedis}) once {@code backToRedis} says this instance takes holds there again.
     */
    void close(BooleanSupplier backToRedis) {
        this.backToRedis = backToRedis;
        this.gated = true;
    }

    /**
     * Inside a store hold's transaction: throws {@link HoldsInRedis} while a live instance keeps holds in Redis. The
     * live instances' rows are read locked, so an instance cannot start keeping holds in Redis until this hold is
     * committed and counted in what it mirrors.
     */
    void check(Handle h) {
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

    /** When a store hold that starts now stops waiting for the gate. */
    long deadline() {
        return clock.millis() + WAIT_MS;
    }

    /**
     * After {@link HoldsInRedis}: pauses before the next try; throws {@link #holdsMoving} past {@code deadline}, and
     * {@code inRedis} again when this instance takes holds in Redis (the caller takes the hold there).
     */
    void await(long deadline, HoldsInRedis inRedis) {
        if (clock.millis() > deadline) {
            throw holdsMoving();
        }
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holds move to the store", e);
        }
        if (backToRedis.getAsBoolean()) {
            throw inRedis;
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
}

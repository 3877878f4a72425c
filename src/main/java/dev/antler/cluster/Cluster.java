package dev.antler.cluster;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.BalanceBook;
import dev.antler.billing.LedgerWriter;
import dev.antler.config.ClusterConfig;
import dev.antler.redis.RedisHolds;
import dev.antler.routing.ChannelRegistry;
import dev.antler.store.Database;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part in a group of instances sharing one store, needing no other service: a heartbeat row (how
 * many instances are live), change notices through the store (and over Redis pub/sub once {@link
 * #carryNoticesOver} is called), and, while more than one is live, holds recorded in the store. One background
 * thread does the heartbeats, the polls and applies what they bring; requests pay nothing for it while this
 * instance is alone. With Redis, holds are taken there while every live instance reaches it
 * ({@link HoldsPlacement}).
 */
public final class Cluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final Database database;
    private final Clock clock;
    private final Instances instances;
    private final ClusterNotices notices;
    private final ScheduledExecutorService thread;
    private volatile TakenHolds holds;
    private volatile HoldsPlacement placement;

    private Cluster(Database database, Clock clock, Instances instances, ClusterNotices notices,
                    ScheduledExecutorService thread) {
        this.database = database;
        this.clock = clock;
        this.instances = instances;
        this.notices = notices;
        this.thread = thread;
    }

    /** Registers this instance (it counts the others before it serves) and starts its heartbeats and polls. */
    public static Cluster start(Database database, ClusterConfig config, Clock clock) {
        requireNonNull(database, "database");
        String id = UUID.randomUUID().toString();
        Instances instances = new Instances(database.jdbi(), clock, config, id);
        instances.beat();
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().name("antler-cluster").daemon(true).unstarted(task));
        ClusterNotices notices = new ClusterNotices(new StoreChangeNotices(database.jdbi(), clock, config, id), thread,
                clock, config, id);
        Cluster cluster = new Cluster(database, clock, instances, notices, thread);
        thread.scheduleWithFixedDelay(cluster::beat, config.heartbeatMs(), config.heartbeatMs(), TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(notices::tick, config.pollMs(), config.pollMs(), TimeUnit.MILLISECONDS);
        return cluster;
    }

    public ChangeNotices notices() {
        return notices;
    }

    /** How many instances share the store now, this one included. */
    public int liveInstances() {
        return instances.live();
    }

    /** Records {@code book}'s holds in the store while other instances are live; a stale wallet is re-read. */
    public void shareHolds(BalanceBook book, LedgerWriter ledger) {
        LongConsumer staleWallet = userId -> {
            if (book.hasWallet(userId)) {
                ledger.credit(userId, 0, "refresh", null, null);
            }
        };
        TakenHolds taken = new TakenHolds(database.jdbi(), clock, instances.id());
        StoreHolds stored = new StoreHolds(database, clock, instances,
                new RedisGate(database.dialect(), clock, instances), taken, staleWallet);
        HoldAdoption adoption = new HoldAdoption(database.jdbi(), database.dialect(), clock, instances, taken);
        HoldsPlacement placed = new HoldsPlacement(stored, adoption, instances,
                new MirroredBalances(database.jdbi()), staleWallet);
        this.holds = taken;
        this.placement = placed;
        book.storeHoldsIn(placed);
    }

    /**
     * Takes the holds in {@code redis} while more than one instance is live and all of them reach it (after
     * {@link #shareHolds}).
     */
    public void shareHoldsOn(RedisHolds redis) {
        requireNonNull(redis, "redis");
        placement.onRedis(redis);
    }

    /** Whether this instance takes its balance holds in Redis now. */
    public boolean holdsInRedis() {
        HoldsPlacement placed = placement;
        return placed != null && placed.inRedis();
    }

    /**
     * Sends change notices on {@code bus} (Redis pub/sub) too from now on, and receives them from it while it
     * works; the store's change table stays their record and the way when the bus fails.
     */
    public void carryNoticesOver(NoticeBus bus) {
        notices.carryOver(requireNonNull(bus, "bus"));
    }

    /**
     * Publishes the openings and closes of {@code registry}'s breakers (caused by this instance's requests) as
     * change notices, from the cluster thread, while other instances are live; the returned notices apply the
     * other instances' ones here.
     */
    public BreakerNotices shareBreakers(ChannelRegistry registry) {
        BreakerNotices breakers = new BreakerNotices(registry, notices, task -> {
            try {
                thread.execute(task);
            } catch (RejectedExecutionException e) {
                // stopping: nothing is published any more
            }
        }, clock, instances::live);
        registry.health().onBreakerChange(breakers);
        return breakers;
    }

    /** Applies the other instances' change notices with {@code applier}. */
    public void apply(ChangeApplier applier) {
        notices.subscribe(applier);
    }

    private void beat() {
        instances.beat();
        HoldsPlacement placed = placement;
        if (placed != null) {
            placed.step();
        }
        TakenHolds taken = holds;
        if (taken != null) {
            taken.sweep();
        }
    }

    /** After the ledger writer stopped (every charge written): leaves the group at once. */
    @Override
    public void close() {
        notices.close();
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("cluster: the heartbeat thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        instances.leave();
    }
}

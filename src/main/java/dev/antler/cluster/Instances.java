package dev.antler.cluster;

import dev.antler.config.ClusterConfig;
import java.time.Clock;
import java.util.List;
import java.util.function.IntSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway instances sharing the store, from their heartbeat rows: this instance stamps its own, and counts
 * the live ones. An instance not stamped within {@code instance_timeout_ms} is gone (crashed, or cut off from
 * the store): its row and its stored holds are deleted by whichever instance notices first. Blocking: runs on
 * the cluster thread.
 */
final class Instances {

    private static final Logger log = LoggerFactory.getLogger(Instances.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ClusterConfig config;
    private final String id;
    private final long startedAt;
    private volatile int live = 1;
    /** The lowest {@code redis_state} of the live instances (see V19): 2 only while all keep their holds in Redis. */
    private volatile int lowestRedisState;
    private volatile IntSupplier redisState = () -> 0;
    private boolean failing;

    Instances(Jdbi jdbi, Clock clock, ClusterConfig config, String id) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.config = config;
        this.id = id;
        this.startedAt = clock.millis();
    }

    String id() {
        return id;
    }

    /** More than one instance is live: holds must be checked in the store. */
    boolean shared() {
        return live > 1;
    }

    int live() {
        return live;
    }

    /** What this instance stamps in {@code redis_state} with each heartbeat from now on. */
    void reportRedisState(IntSupplier state) {
        this.redisState = state;
    }

    /** The lowest {@code redis_state} among the live instances at the last heartbeat, this one's included. */
    int lowestRedisState() {
        return lowestRedisState;
    }

    /** Heartbeats at or after this are live ones. */
    long liveSince() {
        return clock.millis() - config.instanceTimeoutMs();
    }

    /** Stamps {@code state} on this instance's row at once, in a transaction of its own. */
    void stampAlone(int state) {
        jdbi.useHandle(h -> stampRedisState(h, state));
    }

    /** Stamps {@code state} on this instance's row at once (the heartbeats stamp it again). */
    void stampRedisState(Handle h, int state) {
        h.createUpdate("UPDATE cluster_instances SET redis_state = :state WHERE instance_id = :id")
                .bind("state", state).bind("id", id).execute();
    }

    /**
     * Stamps this instance's heartbeat, forgets the gone ones (and their holds), and counts the live ones. Short
     * statements on single rows: on MySQL a range delete here would lock gaps the other instances' heartbeats and
     * holds insert into (deadlocks).
     */
    void beat() {
        try {
            long now = clock.millis();
            long cutoff = now - config.instanceTimeoutMs();
            int state = redisState.getAsInt();
            jdbi.useHandle(h -> {
                int stamped = h.createUpdate("UPDATE cluster_instances SET heartbeat_at = :now, redis_state = :state "
                        + "WHERE instance_id = :id").bind("now", now).bind("state", state).bind("id", id).execute();
                if (stamped == 0) {
                    h.createUpdate("INSERT INTO cluster_instances (instance_id, started_at, heartbeat_at, redis_state) "
                            + "VALUES (:id, :started, :now, :state)").bind("id", id).bind("started", startedAt)
                            .bind("now", now).bind("state", state).execute();
                }
            });
            List<String> gone = jdbi.withHandle(h -> h.createQuery(
                            "SELECT instance_id FROM cluster_instances WHERE heartbeat_at < :cutoff")
                    .bind("cutoff", cutoff).mapTo(String.class).list());
            for (String instance : gone) {
                forget(instance, cutoff);
            }
            List<Integer> states = jdbi.withHandle(h -> h.createQuery(
                            "SELECT redis_state FROM cluster_instances WHERE heartbeat_at >= :cutoff")
                    .bind("cutoff", cutoff).mapTo(Integer.class).list());
            int counted = states.size();
            lowestRedisState = states.stream().mapToInt(Integer::intValue).min().orElse(0);
            if (counted != live) {
                log.info("cluster: {} instance(s) live on this store{}", counted,
                        counted > 1 ? "; balance holds are checked in the store" : "; holds are kept in memory");
            }
            live = Math.max(1, counted);
            if (failing) {
                log.info("cluster: heartbeat written again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cluster: heartbeat not written ({}); still counting {} instance(s) live", e.toString(), live);
                failing = true;
            }
        }
    }

    /** Deletes a gone instance's holds and row, unless it stamped a heartbeat meanwhile. */
    private void forget(String instance, long cutoff) {
        jdbi.useTransaction(h -> {
            int removed = h.createUpdate("DELETE FROM cluster_instances WHERE instance_id = :id AND heartbeat_at < :cutoff")
                    .bind("id", instance).bind("cutoff", cutoff).execute();
            if (removed == 0) {
                return;
            }
            int released = h.createUpdate("DELETE FROM cluster_holds WHERE instance_id = :id").bind("id", instance)
                    .execute();
            log.warn("cluster: instance {} gone (no heartbeat for {} ms); its {} balance holds released", instance,
                    config.instanceTimeoutMs(), released);
        });
    }

    /** A graceful stop: this instance's row and any hold it still has go at once (its charges are written). */
    void leave() {
        try {
            jdbi.useTransaction(h -> { // the instance's row first: the lock order of the hold takers (StoreHolds)
                h.createUpdate("DELETE FROM cluster_instances WHERE instance_id = :id").bind("id", id).execute();
                h.createUpdate("DELETE FROM cluster_holds WHERE instance_id = :id").bind("id", id).execute();
            });
        } catch (RuntimeException e) {
            log.warn("cluster: could not remove this instance's row ({}); the others drop it after {} ms",
                    e.toString(), config.instanceTimeoutMs());
        }
    }
}

package dev.antler.redis;

import dev.antler.cluster.NoticeBus;
import dev.antler.config.RedisConfig;
import dev.antler.health.Readiness;
import dev.antler.limits.Limits;
import dev.antler.metrics.MetricsEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on what several instances share through Redis when {@code redis.url} is set: the limits counted once for
 * all of them, the change notices over pub/sub ({@link #notices}), Redis's state in {@code /health/ready} (details,
 * never failing readiness) and in {@code /metrics}.
 * The instance starts whether Redis answers or not, on its own limits until it does.
 */
public final class RedisSetup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisSetup.class);

    private final RedisLink link;
    private final RedisLimits limits;
    private final RedisNotices notices;
    private final RedisHolds holds;

    private RedisSetup(RedisLink link, RedisLimits limits, RedisNotices notices, RedisHolds holds) {
        this.link = link;
        this.limits = limits;
        this.notices = notices;
        this.holds = holds;
    }

    /** Null when {@code config} has no URL (off). */
    public static RedisSetup start(Vertx vertx, RedisConfig config, Clock clock, Limits limits, Readiness readiness,
                                   MetricsEndpoint metrics) {
        if (!config.enabled()) {
            return null;
        }
        RedisLink link = new RedisLink(vertx, config, clock);
        RedisLimits shared = new RedisLimits(vertx, link, config, clock);
        limits.limiter().share(shared);
        RedisNotices notices = new RedisNotices(vertx, link, config);
        RedisHolds holds = new RedisHolds(vertx, link, config, clock);
        readiness.detail("redis", () -> state(link, shared, notices, holds));
        metrics.add("antler_redis_up", "gauge", "1 while Redis answers and limits are shared by all instances, 0 while"
                + " each instance enforces its own (Redis unreachable, or its answers late for a while).",
                () -> link.up() ? 1 : 0);
        metrics.add("antler_redis_failures_total", "counter", "Redis commands that failed to reach Redis or timed out.",
                link::failures);
        metrics.add("antler_redis_local_admissions_total", "counter", "Requests of limited keys or capped users "
                + "admitted on this instance's own limits only, because Redis was down or late.", shared::localOnly);
        metrics.add("antler_redis_notices_subscribed", "gauge", "1 while change notices arrive over Redis pub/sub, 0 "
                + "while they are read from the store's change table every cluster.poll_ms.",
                () -> notices.subscribed() ? 1 : 0);
        metrics.add("antler_redis_notices_received_total", "counter", "Change notices received over Redis pub/sub "
                + "(this instance's own included).", notices::received);
        metrics.add("antler_redis_notices_unsent_total", "counter", "Change notices this instance could not publish on "
                + "Redis (down or late); the other instances read them from the store.", notices::notSent);
        metrics.add("antler_redis_holds", "gauge", "1 while this instance takes its balance holds in Redis (more than"
                + " one instance live, all reaching Redis), 0 while they are in the store or in memory.",
                () -> holds.admitting() ? 1 : 0);
        AtomicBoolean first = new AtomicBoolean(true);
        link.onUp(() -> {
            if (!first.getAndSet(false)) {
                reseed(vertx, limits);
            }
            return Future.succeededFuture();
        });
        link.connect();
        return new RedisSetup(link, shared, notices, holds);
    }

    /**
     * Back from an outage: each capped user's spend today is read again from the usage log, which holds what every
     * instance charged meanwhile, so the shared day (never lower than an instance's figure) counts it too.
     */
    private static void reseed(Vertx vertx, Limits limits) {
        vertx.executeBlocking(() -> {
            limits.limiter().seedSpend(limits.store(), limits.limiter().cappedUsers());
            return null;
        }, false).onFailure(e -> log.warn("redis: today's spend not re-read from the store after the outage: {}",
                e.toString()));
    }

    private static Map<String, Object> state(RedisLink link, RedisLimits limits, RedisNotices notices,
                                             RedisHolds holds) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", link.up() ? "up" : "down");
        state.put("limits", link.up() ? "shared" : "local");
        state.put("notices", notices.subscribed() ? "pubsub" : "store");
        state.put("since", Instant.ofEpochMilli(link.sinceMillis()).toString());
        state.put("url", link.safeUrl());
        if (link.problem() != null) {
            state.put("problem", link.problem());
        }
        state.put("requests_in_flight", limits.running());
        state.put("holds", holds.admitting() ? "redis" : "store");
        state.put("holds_in_flight", holds.inFlight());
        return state;
    }

    public boolean up() {
        return link.up();
    }

    /** The change notices' way over Redis pub/sub, for {@code Cluster.carryNoticesOver}. */
    public NoticeBus notices() {
        return notices;
    }

    /** The balance holds instances share in Redis (the cluster decides when). */
    public RedisHolds holds() {
        return holds;
    }

    @Override
    public void close() {
        notices.close();
        limits.stop();
        holds.stop();
        link.close();
    }
}

package dev.antler.redis;

import dev.antler.config.RedisConfig;
import dev.antler.health.Readiness;
import dev.antler.limits.Limits;
import dev.antler.metrics.MetricsEndpoint;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns on what several instances share through Redis when {@code redis.url} is set: the limits counted once for
 * all of them, Redis's state in {@code /health/ready} (details, never failing readiness) and in {@code /metrics}.
 * The instance starts whether Redis answers or not, on its own limits until it does.
 */
public final class RedisSetup implements AutoCloseable {

    private final RedisLink link;
    private final RedisLimits limits;

    private RedisSetup(RedisLink link, RedisLimits limits) {
        this.link = link;
        this.limits = limits;
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
        readiness.detail("redis", () -> state(link, shared));
        metrics.add("antler_redis_up", "gauge", "1 while Redis answers and limits are shared by all instances, 0 while"
                + " each instance enforces its own (Redis unreachable or not answering within redis.timeout_ms).",
                () -> link.up() ? 1 : 0);
        metrics.add("antler_redis_failures_total", "counter", "Redis commands that failed to reach Redis or timed out.",
                link::failures);
        metrics.add("antler_redis_local_admissions_total", "counter", "Requests of limited keys or capped users "
                + "admitted on this instance's own limits only, because Redis was down or late.", shared::localOnly);
        link.connect();
        return new RedisSetup(link, shared);
    }

    private static Map<String, Object> state(RedisLink link, RedisLimits limits) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", link.up() ? "up" : "down");
        state.put("limits", link.up() ? "shared" : "local");
        state.put("since", Instant.ofEpochMilli(link.sinceMillis()).toString());
        state.put("url", link.safeUrl());
        if (link.problem() != null) {
            state.put("problem", link.problem());
        }
        state.put("requests_in_flight", limits.running());
        return state;
    }

    public boolean up() {
        return link.up();
    }

    @Override
    public void close() {
        limits.stop();
        link.close();
    }
}

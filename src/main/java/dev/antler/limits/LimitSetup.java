package dev.antler.limits;

import dev.antler.config.ServerConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the limits at start and keeps them in step with the store (changes made by other instances). */
public final class LimitSetup {

    private static final Logger log = LoggerFactory.getLogger(LimitSetup.class);
    static final long REFRESH_MS = 30_000;

    private LimitSetup() {}

    public static Limits start(ServerConfig server, LimitStore store, Clock clock) {
        Limiter limiter = new Limiter(clock);
        limiter.load(store);
        return new Limits(limiter, store, new BodyLimits(server.maxJsonBytes(), server.maxBodyBytes(),
                new BodyBudget(server.maxInflightBodyBytes()), server.bodyReadIdleTimeoutMs()));
    }

    /** Re-reads the stored limits every 30 s, off the event loop. */
    public static void refreshPeriodically(Vertx vertx, Limits limits) {
        vertx.setPeriodic(REFRESH_MS, id -> vertx.executeBlocking(() -> {
            limits.limiter().load(limits.store());
            return null;
        }).onFailure(e -> log.warn("limits not refreshed from the store: {}", e.toString())));
    }
}

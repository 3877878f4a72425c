package dev.antler.redis;

import dev.antler.billing.Hold;
import dev.antler.redis.RedisHolds.Held;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's holds in Redis and their leases: renewed every third of {@code redis.lease_ms} while their
 * requests run (and their charges wait for the ledger), so that no other instance drops them; handed over to the
 * store when the instance stops taking holds in Redis, then no longer renewed.
 */
final class HeldLeases {

    /** A hold settled this long ago whose charge was never written with it (set aside) is no longer renewed. */
    private static final long LEFTOVER_MS = 60_000;

    private final Vertx vertx;
    private final RedisLink link;
    private final HoldScripts scripts;
    private final Clock clock;
    private final Map<String, Held> inFlight = new ConcurrentHashMap<>();
    /** The holds handed over last, still in Redis until their lease runs out. */
    private volatile List<Held> handedOver = List.of();
    private final long renewTimer;

    HeldLeases(Vertx vertx, RedisLink link, HoldScripts scripts, Clock clock, long leaseMs) {
        this.vertx = vertx;
        this.link = link;
        this.scripts = scripts;
        this.clock = clock;
        this.renewTimer = vertx.setPeriodic(leaseMs / 3, id -> renew());
    }

    void add(String requestId, Hold hold) {
        inFlight.put(requestId, new Held(requestId, hold, 0));
    }

    /** The hold of {@code requestId} is no longer this instance's to renew; null when it was not. */
    Held remove(String requestId) {
        return inFlight.remove(requestId);
    }

    /** The request's charge is queued for the ledger writer: its hold is renewed until it commits (or is set aside). */
    void settled(String requestId) {
        inFlight.computeIfPresent(requestId, (id, held) -> new Held(id, held.hold(), clock.millis()));
    }

    int size() {
        return inFlight.size();
    }

    /** Hands over every hold in flight: no longer renewed, remembered until {@link #takeHandedOver}. */
    List<Held> handOver() {
        List<Held> held = new ArrayList<>(inFlight.values());
        held.forEach(h -> inFlight.remove(h.requestId()));
        handedOver = held;
        return held;
    }

    /** The holds handed over last, forgotten from now on. */
    List<Held> takeHandedOver() {
        List<Held> held = handedOver;
        handedOver = List.of();
        return held;
    }

    void stop() {
        vertx.cancelTimer(renewTimer);
    }

    private void renew() {
        if (inFlight.isEmpty() || !link.up()) {
            return;
        }
        long now = clock.millis();
        List<Held> renewed = new ArrayList<>();
        for (Held held : inFlight.values()) {
            if (held.settledAt() != 0 && held.settledAt() < now - LEFTOVER_MS) {
                inFlight.remove(held.requestId()); // its charge was set aside: the hold runs out
            } else {
                renewed.add(held);
            }
        }
        if (!renewed.isEmpty()) {
            scripts.renew(renewed, now);
        }
    }
}

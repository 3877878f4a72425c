package dev.antler.redis;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds.Balance;
import dev.antler.config.RedisConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * Balance holds of every instance in Redis: per user a mirror of the stored balance (less the holds kept in the
 * store) with its version, and the holds in flight, each with its instance's lease. Taking a hold is one script
 * ({@link MirroredAdmission}); after a ledger commit one script sets the newer balance and ends the requests' holds
 * together ({@link HoldScripts#settle}). A hold whose lease runs out (its instance died, or lost Redis) is dropped
 * and the mirror is read from the store again, so a charge written but never mirrored is never missed
 * ({@link HeldLeases}). Which instances admit here, and when, is decided by the cluster ({@link #beginAdmitting},
 * {@link #stopAdmitting}).
 */
public final class RedisHolds {

    /** Redis could not decide (down, late, or holds are not taken here now): the hold goes to the store. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why, null, false, false);
        }
    }

    /** A hold of this instance's in Redis; {@code settledAt} is 0 while its request runs. */
    public record Held(String requestId, Hold hold, long settledAt) {}

    private final RedisLink link;
    private final long timeoutMs;
    private final HoldScripts scripts;
    private final HeldLeases leases;
    private final MirroredAdmission admission;
    private final AtomicInteger admitting = new AtomicInteger();
    private volatile boolean open;
    /** Redis answered without its generation: it restarted empty, and the holds in it are gone. */
    private volatile boolean lost;

    RedisHolds(Vertx vertx, RedisLink link, RedisConfig config, Clock clock) {
        requireNonNull(vertx, "vertx");
        this.link = requireNonNull(link, "link");
        requireNonNull(clock, "clock");
        this.timeoutMs = config.timeoutMs();
        this.scripts = new HoldScripts(link, config);
        this.leases = new HeldLeases(vertx, link, scripts, clock, config.leaseMs());
        this.admission = new MirroredAdmission(scripts, clock, () -> lost = true);
    }

    void stop() {
        leases.stop();
    }

    /** Whether Redis answers. */
    public boolean up() {
        return link.up();
    }

    /** Whether this instance takes its holds here now. */
    public boolean admitting() {
        return open;
    }

    /** Whether Redis was found to have lost its data since this instance began admitting here. */
    public boolean lostData() {
        return lost;
    }

    /**
     * Starts taking holds here, in a new generation of mirrors: none read from the store before is trusted, since
     * holds may have been taken in the store meanwhile. Blocking; throws when Redis does not answer.
     */
    public void beginAdmitting() {
        try {
            scripts.newGeneration().toCompletionStage().toCompletableFuture()
                    .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new Unavailable("redis: a new generation of mirrors not started: " + e);
        }
        lost = false;
        open = true;
        // Those handed over when this instance last stopped still count here until their lease runs out, beside
        // their copies in the store; every mirror of the new generation counts the copies: they go now.
        byUser(leases.takeHandedOver()).forEach((user, ids) -> scripts.settle(user, null, ids));
    }

    /**
     * Stops taking holds here, waits (bounded by the Redis timeout) for admissions on their way, and hands over
     * this instance's holds in flight: the caller keeps them in the store. They are no longer renewed here, so they
     * run out within {@code redis.lease_ms}, and the mirrors are read again.
     */
    public List<Held> stopAdmitting() {
        open = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs * 4 + 1_000);
        while (admitting.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return leases.handOver();
    }

    /** This instance's holds in Redis now. */
    public int inFlight() {
        return leases.size();
    }

    /**
     * Takes the user's part of {@code hold} for {@code requestId}: completes when taken, fails with the 403 when
     * the mirrored balance less every instance's holds does not cover it, or with {@link Unavailable}. A missing
     * mirror is read from the store with {@code stored} (on {@code blocking}) and set first.
     */
    public CompletableFuture<Void> take(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored) {
        admitting.incrementAndGet();
        if (!open) {
            admitting.decrementAndGet();
            return CompletableFuture.failedFuture(new Unavailable("holds are not taken in redis now"));
        }
        leases.add(requestId, hold);
        return admission.take(hold, requestId, blocking, stored).whenComplete((ok, failure) -> {
            if (failure != null) {
                leases.remove(requestId);
            }
            admitting.decrementAndGet();
        });
    }

    /** The hold of {@code requestId} ends unused (its key's part was refused). */
    public void cancel(String requestId, long userId) {
        leases.remove(requestId);
        scripts.settle(userId, null, List.of(requestId));
    }

    /** The request's charge is queued for the ledger writer, which ends the hold when it commits. */
    public void settled(String requestId) {
        leases.settled(requestId);
    }

    /**
     * A ledger transaction committed: its users' stored {@code balances} are mirrored (where newer), and the holds
     * of its requests end, in one script per user.
     */
    public void released(List<String> requestIds, Map<Long, Balance> balances) {
        List<Held> ended = new ArrayList<>();
        for (String id : requestIds) {
            Held held = leases.remove(id);
            if (held != null) {
                ended.add(held);
            }
        }
        if (!link.up()) {
            return; // the holds run out with their leases, and the mirrors are read again
        }
        Map<Long, List<String>> byUser = byUser(ended);
        balances.keySet().forEach(user -> byUser.putIfAbsent(user, List.of()));
        byUser.forEach((user, ids) -> scripts.settle(user, balances.get(user), ids));
    }

    private static Map<Long, List<String>> byUser(List<Held> held) {
        Map<Long, List<String>> byUser = new HashMap<>();
        held.forEach(h -> byUser.computeIfAbsent(h.hold().userId(), user -> new ArrayList<>()).add(h.requestId()));
        return byUser;
    }
}

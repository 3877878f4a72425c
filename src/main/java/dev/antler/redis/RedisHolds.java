package dev.antler.redis;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds.Balance;
import dev.antler.billing.Usd;
import dev.antler.config.RedisConfig;
import dev.antler.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Balance holds of every instance in Redis: per user a mirror of the stored balance (less the holds kept in the
 * store) with its version, and the holds in flight, each with its instance's lease. Taking a hold is one script
 * ({@code holds-admit.lua}); after a ledger commit one script sets the newer balance and ends the requests' holds
 * together ({@code holds-settle.lua}). A hold whose lease runs out (its instance died, or lost Redis) is dropped and
 * the mirror is read from the store again, so a charge written but never mirrored is never missed. Which instances
 * admit here, and when, is decided by the cluster ({@link #beginAdmitting}, {@link #stopAdmitting}).
 */
public final class RedisHolds {

    private static final Logger log = LoggerFactory.getLogger(RedisHolds.class);
    private static final LuaScript ADMIT = LuaScript.resource("holds-admit.lua");
    private static final LuaScript LOAD = LuaScript.resource("holds-load.lua");
    private static final LuaScript SETTLE = LuaScript.resource("holds-settle.lua");
    private static final LuaScript RENEW = LuaScript.resource("holds-renew.lua");
    private static final int LOAD_ATTEMPTS = 3;
    /** A hold settled this long ago whose charge was never written with it (set aside) is no longer renewed. */
    private static final long LEFTOVER_MS = 60_000;

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
    private final Clock clock;
    private final String prefix;
    private final long leaseMs;
    private final long timeoutMs;
    private final Map<String, Held> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger admitting = new AtomicInteger();
    private volatile boolean open;
    /** The holds handed over at the last {@link #stopAdmitting}, still in Redis until their lease runs out. */
    private volatile List<Held> handedOver = List.of();
    /** Redis answered without its generation: it restarted empty, and the holds in it are gone. */
    private volatile boolean lost;
    private final Vertx vertx;
    private final long renewTimer;

    RedisHolds(Vertx vertx, RedisLink link, RedisConfig config, Clock clock) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.link = requireNonNull(link, "link");
        this.clock = requireNonNull(clock, "clock");
        this.prefix = config.keyPrefix() + "hb:";
        this.leaseMs = config.leaseMs();
        this.timeoutMs = config.timeoutMs();
        link.onUp(() -> Future.all(ADMIT.load(link), LOAD.load(link), SETTLE.load(link), RENEW.load(link)));
        this.renewTimer = vertx.setPeriodic(leaseMs / 3, id -> renew());
    }

    void stop() {
        vertx.cancelTimer(renewTimer);
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
            link.send(Request.cmd(Command.INCR).arg(prefix + "gen")).toCompletionStage().toCompletableFuture()
                    .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new Unavailable("redis: a new generation of mirrors not started: " + e);
        }
        lost = false;
        open = true;
        // Those handed over when this instance last stopped still count here until their lease runs out, beside
        // their copies in the store; every mirror of the new generation counts the copies: they go now.
        List<Held> copied = handedOver;
        handedOver = List.of();
        Map<Long, List<String>> byUser = new HashMap<>();
        copied.forEach(h -> byUser.computeIfAbsent(h.hold().userId(), user -> new ArrayList<>()).add(h.requestId()));
        byUser.forEach((user, ids) -> settle(user, null, ids));
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
        List<Held> held = new ArrayList<>(inFlight.values());
        held.forEach(h -> inFlight.remove(h.requestId()));
        handedOver = held;
        return held;
    }

    /** This instance's holds in Redis now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Takes the user's part of {@code hold} for {@code requestId}: completes when taken, fails with the 403 when
     * the mirrored balance less every instance's holds does not cover it, or with {@link Unavailable}. A missing
     * mirror is read from the store with {@code stored} (on {@code blocking}) and set first.
     */
    public CompletableFuture<Void> take(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored) {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        admitting.incrementAndGet();
        if (!open) {
            admitting.decrementAndGet();
            return CompletableFuture.failedFuture(new Unavailable("holds are not taken in redis now"));
        }
        inFlight.put(requestId, new Held(requestId, hold, 0));
        attempt(hold, requestId, blocking, stored, 1, taken);
        return taken.whenComplete((ok, failure) -> {
            if (failure != null) {
                inFlight.remove(requestId);
            }
            admitting.decrementAndGet();
        });
    }

    private void attempt(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored, int attempt,
                         CompletableFuture<Void> taken) {
        long now = clock.millis();
        ADMIT.run(link, List.of(mirrorKey(hold.userId()), holdsKey(hold.userId()), prefix + "gen"),
                List.of(Long.toString(now), requestId, Long.toString(hold.userReserved()), Long.toString(now + leaseMs)))
                .onComplete(done -> {
                    if (done.failed()) {
                        taken.completeExceptionally(new Unavailable("redis: " + done.cause()));
                        return;
                    }
                    Response answer = done.result();
                    switch (answer.get(0).toString()) {
                        case "ok" -> taken.complete(null);
                        case "short" -> taken.completeExceptionally(refusal(answer.get(1).toLong(), hold));
                        case "load" -> {
                            if (attempt == LOAD_ATTEMPTS) {
                                taken.completeExceptionally(new Unavailable("redis: mirror not settled"));
                            } else {
                                load(hold, requestId, blocking, stored, attempt, answer.get(1).toString(), taken);
                            }
                        }
                        case "lost" -> {
                            lost = true;
                            taken.completeExceptionally(new Unavailable("redis: lost its data"));
                        }
                        default -> taken.completeExceptionally(new Unavailable("redis: answer " + answer));
                    }
                });
    }

    private void load(Hold hold, String requestId, Executor blocking, LongFunction<Balance> stored, int attempt,
                      String generation, CompletableFuture<Void> taken) {
        CompletableFuture.supplyAsync(() -> stored.apply(hold.userId()), blocking).whenComplete((balance, failure) -> {
            if (failure != null) {
                taken.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c
                        ? c.getCause() : failure);
                return;
            }
            LOAD.run(link, List.of(mirrorKey(hold.userId()), prefix + "gen"), List.of(generation,
                    Long.toString(balance.available()), Long.toString(balance.version()))).onComplete(done -> {
                        if (done.failed()) {
                            taken.completeExceptionally(new Unavailable("redis: " + done.cause()));
                        } else {
                            attempt(hold, requestId, blocking, stored, attempt + 1, taken);
                        }
                    });
        });
    }

    private static GatewayException refusal(long available, Hold hold) {
        return GatewayException.insufficientBalance("insufficient balance: " + Usd.format(Math.max(0, available))
                + " USD available, this request needs up to " + Usd.format(hold.userReserved())
                + " USD (requests in flight on every gateway instance count)");
    }

    /** The hold of {@code requestId} ends unused (its key's part was refused). */
    public void cancel(String requestId, long userId) {
        inFlight.remove(requestId);
        settle(userId, null, List.of(requestId));
    }

    /** The request's charge is queued for the ledger writer, which ends the hold when it commits. */
    public void settled(String requestId) {
        inFlight.computeIfPresent(requestId, (id, held) -> new Held(id, held.hold(), clock.millis()));
    }

    /**
     * A ledger transaction committed: its users' stored {@code balances} are mirrored (where newer), and the holds
     * of its requests end, in one script per user.
     */
    public void released(List<String> requestIds, Map<Long, Balance> balances) {
        Map<Long, List<String>> byUser = new HashMap<>();
        for (String id : requestIds) {
            Held held = inFlight.remove(id);
            if (held != null) {
                byUser.computeIfAbsent(held.hold().userId(), user -> new ArrayList<>()).add(id);
            }
        }
        if (!link.up()) {
            return; // the holds run out with their leases, and the mirrors are read again
        }
        balances.keySet().forEach(user -> byUser.putIfAbsent(user, List.of()));
        byUser.forEach((user, ids) -> settle(user, balances.get(user), ids));
    }

    private void settle(long userId, Balance balance, List<String> requestIds) {
        List<String> args = new ArrayList<>(requestIds.size() + 2);
        args.add(balance == null ? "-1" : Long.toString(balance.available()));
        args.add(balance == null ? "-1" : Long.toString(balance.version()));
        args.addAll(requestIds);
        SETTLE.run(link, List.of(mirrorKey(userId), holdsKey(userId), prefix + "gen"), args)
                .onFailure(e -> log.debug("redis: a commit not mirrored (its holds run out instead): {}", e.toString()));
    }

    /** Renews the leases of this instance's holds, so that no other instance drops them. */
    private void renew() {
        if (inFlight.isEmpty() || !link.up()) {
            return;
        }
        long now = clock.millis();
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(now + leaseMs));
        for (Held held : inFlight.values()) {
            if (held.settledAt() != 0 && held.settledAt() < now - LEFTOVER_MS) {
                inFlight.remove(held.requestId()); // its charge was set aside: the hold runs out
                continue;
            }
            keys.add(holdsKey(held.hold().userId()));
            args.add(held.requestId());
            args.add(Long.toString(held.hold().userReserved()));
        }
        if (!keys.isEmpty()) {
            RENEW.run(link, keys, args).onFailure(e -> log.debug("redis: holds not renewed: {}", e.toString()));
        }
    }

    private String mirrorKey(long userId) {
        return prefix + "u:" + userId;
    }

    private String holdsKey(long userId) {
        return prefix + "u:" + userId + ":h";
    }
}

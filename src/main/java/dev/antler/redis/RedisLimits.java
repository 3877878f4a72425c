package dev.antler.redis;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Usd;
import dev.antler.config.RedisConfig;
import dev.antler.limits.KeyLimits;
import dev.antler.limits.LimitExceeded;
import dev.antler.limits.Limiter;
import dev.antler.limits.SharedLimits;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits of every key and user counted once for all instances, in Redis, each admission and each close one
 * atomic script ({@code limits-admit.lua}, {@code limits-close.lua}). A request in flight holds a lease on its
 * concurrency slot and daily-spend hold that this instance renews every third of {@code redis.lease_ms}; the leases of
 * an instance that died run out within {@code redis.lease_ms}. Only limited keys and capped users are counted here.
 * While Redis is down (or an answer is late) requests are admitted on this instance's counts alone.
 */
public final class RedisLimits implements SharedLimits {

    private static final Logger log = LoggerFactory.getLogger(RedisLimits.class);
    private static final LuaScript ADMIT = LuaScript.resource("limits-admit.lua");
    private static final LuaScript CLOSE = LuaScript.resource("limits-close.lua");
    private static final LuaScript RENEW = LuaScript.resource("leases-renew.lua");
    /** Leases renewed per script call. */
    private static final int RENEW_BATCH = 256;

    private final RedisLink link;
    private final Clock clock;
    private final String prefix;
    private final long leaseMs;
    /** This instance's part of every lease id. */
    private final String instance = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private final AtomicLong sequence = new AtomicLong();
    /** This instance's requests counted in Redis and not closed yet, by lease. */
    private final Map<String, SharedTicket> running = new ConcurrentHashMap<>();
    private final LongAdder localOnly = new LongAdder();
    private final long renewTimer;
    private final Vertx vertx;

    RedisLimits(Vertx vertx, RedisLink link, RedisConfig config, Clock clock) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.link = requireNonNull(link, "link");
        this.clock = requireNonNull(clock, "clock");
        this.prefix = config.keyPrefix();
        this.leaseMs = config.leaseMs();
        link.onUp(() -> Future.all(ADMIT.load(link), CLOSE.load(link), RENEW.load(link)));
        this.renewTimer = vertx.setPeriodic(leaseMs / 3, id -> renew());
    }

    @Override
    public Future<SharedTicket> admit(SharedRequest request) {
        if (!link.up()) {
            localOnly.increment();
            return Future.succeededFuture();
        }
        KeyLimits limits = request.limits();
        boolean capped = request.dailyCap() != null;
        String lease = instance + ":" + sequence.incrementAndGet();
        long now = request.nowMillis();
        List<String> args = List.of(Long.toString(now), number(limits.rpm()), number(limits.tpm()),
                number(limits.maxConcurrent()), capped ? Long.toString(request.dailyCap()) : "-1",
                Long.toString(request.tokenEstimate()), Long.toString(request.holdNanos()), lease, Long.toString(leaseMs),
                Long.toString(request.localSpentToday()));
        Context caller = Vertx.currentContext();
        Promise<SharedTicket> verdict = Promise.promise();
        ADMIT.run(link, keys(request.keyId(), request.userId(), Limiter.day(now)), args).onComplete(done -> {
            try {
                if (done.failed()) {
                    if (RedisLink.isErrorReply(done.cause())) {
                        log.warn("redis: the admission script failed ({}); admitted on this instance's limits",
                                done.cause().getMessage());
                    }
                    localOnly.increment();
                    deliver(caller, () -> verdict.complete(null));
                    return;
                }
                Response answer = done.result();
                String outcome = answer.get(0).toString();
                if (outcome.equals("ok")) {
                    long spent = answer.get(1).toLong();
                    SharedTicket ticket = new SharedTicket(lease, request.keyId(), request.userId(),
                            Math.floorDiv(now, 1000), request.tokenEstimate(), request.holdNanos(),
                            limits.rpm() != null, limits.tpm() != null, limits.maxConcurrent() != null,
                            capped && request.holdNanos() > 0, capped ? spent : -1);
                    running.put(lease, ticket);
                    deliver(caller, () -> verdict.complete(ticket));
                } else {
                    LimitExceeded refusal = refusal(outcome, answer, request);
                    deliver(caller, () -> verdict.fail(refusal));
                }
            } catch (RuntimeException e) { // an answer this build does not understand: not the client's fault
                log.warn("redis: unexpected answer to the admission script ({}); admitted on this instance's limits",
                        e.toString());
                localOnly.increment();
                deliver(caller, () -> verdict.tryComplete(null));
            }
        });
        return verdict.future();
    }

    /** The same refusal the local limiter gives, with the counts of all instances. */
    private static LimitExceeded refusal(String outcome, Response answer, SharedRequest request) {
        return switch (outcome) {
            case "concurrency" -> LimitExceeded.concurrency(answer.get(1).toInteger());
            case "requests" -> LimitExceeded.requests(answer.get(1).toInteger(), answer.get(2).toLong());
            case "tokens" -> LimitExceeded.tokens(answer.get(1).toLong(), answer.get(2).toLong(),
                    answer.get(3).toLong(), answer.get(4).toLong());
            case "daily" -> LimitExceeded.dailySpend(Usd.format(answer.get(1).toLong()),
                    Usd.format(answer.get(2).toLong()), Usd.format(answer.get(3).toLong()),
                    Limiter.secondsUntilMidnight(request.nowMillis()));
            default -> throw new IllegalStateException("outcome: " + outcome);
        };
    }

    /** Completes on the admitting request's event loop, where the relay goes on. */
    private static void deliver(Context caller, Runnable completion) {
        if (caller == null || Vertx.currentContext() == caller) {
            completion.run();
        } else {
            caller.runOnContext(v -> completion.run());
        }
    }

    @Override
    public void close(SharedTicket ticket, long tokensUsed, long chargeNanos, boolean settled, long nowMillis) {
        running.remove(ticket.lease());
        if (!link.up()) {
            return; // its slot and hold run out with their lease; its charge reaches Redis through the local count
        }
        List<String> args = List.of(Long.toString(nowMillis), Long.toString(ticket.second()), settled ? "1" : "0",
                Long.toString(tokensUsed - ticket.tokenEstimate()), flag(ticket.requests()), flag(ticket.tokens()),
                ticket.lease(), Long.toString(chargeNanos), flag(ticket.slot()), flag(ticket.hold()),
                flag(ticket.spentToday() >= 0));
        CLOSE.run(link, keys(ticket.keyId(), ticket.userId(), Limiter.day(nowMillis)), args)
                .onFailure(e -> log.debug("redis: request close not counted: {}", e.toString()));
    }

    /** Renews the leases of this instance's requests in flight, so no other instance takes their slots. */
    private void renew() {
        if (running.isEmpty() || !link.up()) {
            return;
        }
        String expiry = Long.toString(clock.millis() + leaseMs);
        List<String> keys = new ArrayList<>();
        List<String> leases = new ArrayList<>();
        for (SharedTicket ticket : running.values()) {
            if (ticket.slot()) {
                keys.add(slotsKey(ticket.keyId()));
                leases.add(ticket.lease());
            }
            if (ticket.hold()) {
                keys.add(userKey(ticket.userId()) + ":holds:exp");
                leases.add(ticket.lease());
            }
            if (keys.size() >= RENEW_BATCH) {
                renew(keys, leases, expiry);
                keys = new ArrayList<>();
                leases = new ArrayList<>();
            }
        }
        if (!keys.isEmpty()) {
            renew(keys, leases, expiry);
        }
    }

    private void renew(List<String> keys, List<String> leases, String expiry) {
        List<String> args = new ArrayList<>(leases.size() + 2);
        args.add(expiry);
        args.add(Long.toString(leaseMs * 2));
        args.addAll(leases);
        RENEW.run(link, keys, args).onFailure(e -> log.debug("redis: leases not renewed: {}", e.toString()));
    }

    /** Requests admitted on this instance's counts alone because Redis was down or late, since the start. */
    public long localOnly() {
        return localOnly.sum();
    }

    /** This instance's requests counted in Redis and still running. */
    public int running() {
        return running.size();
    }

    void stop() {
        vertx.cancelTimer(renewTimer);
    }

    private List<String> keys(long keyId, long userId, long day) {
        String key = prefix + "k:" + keyId;
        String user = userKey(userId);
        return List.of(key + ":rpm", key + ":tpm", slotsKey(keyId), user + ":spent:" + day, user + ":holds",
                user + ":holds:exp");
    }

    private String slotsKey(long keyId) {
        return prefix + "k:" + keyId + ":slots";
    }

    private String userKey(long userId) {
        return prefix + "u:" + userId;
    }

    private static String number(Number limit) {
        return limit == null ? "0" : limit.toString();
    }

    private static String flag(boolean value) {
        return value ? "1" : "0";
    }
}

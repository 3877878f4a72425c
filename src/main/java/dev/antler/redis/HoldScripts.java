package dev.antler.redis;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.StoredHolds.Balance;
import dev.antler.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of the balance-hold scripts and the keys they use, under {@code <redis.key_prefix>hb:}: {@code gen} (the
 * generation of mirrors), per user {@code u:<id>} (the mirrored balance) and {@code u:<id>:h} (the holds). The
 * scripts are loaded each time Redis comes up. What Redis answers is for the caller to read.
 */
final class HoldScripts {

    private static final Logger log = LoggerFactory.getLogger(HoldScripts.class);
    private static final LuaScript ADMIT = LuaScript.resource("holds-admit.lua");
    private static final LuaScript LOAD = LuaScript.resource("holds-load.lua");
    private static final LuaScript SETTLE = LuaScript.resource("holds-settle.lua");
    private static final LuaScript RENEW = LuaScript.resource("holds-renew.lua");

    private final RedisLink link;
    private final String prefix;
    private final long leaseMs;

    HoldScripts(RedisLink link, RedisConfig config) {
        this.link = requireNonNull(link, "link");
        this.prefix = config.keyPrefix() + "hb:";
        this.leaseMs = config.leaseMs();
        link.onUp(() -> Future.all(ADMIT.load(link), LOAD.load(link), SETTLE.load(link), RENEW.load(link)));
    }

    /** Starts a new generation of mirrors: none set before is trusted from now on. */
    Future<Response> newGeneration() {
        return link.send(Request.cmd(Command.INCR).arg(prefix + "gen"));
    }

    /** {@code holds-admit.lua}: the hold of {@code nanos} for {@code requestId}, leased from {@code now}. */
    Future<Response> admit(long userId, String requestId, long nanos, long now) {
        return ADMIT.run(link, List.of(mirrorKey(userId), holdsKey(userId), prefix + "gen"), List.of(Long.toString(now),
                requestId, Long.toString(nanos), Long.toString(now + leaseMs)));
    }

    /** {@code holds-load.lua}: the mirror set from the store's {@code balance}, read in {@code generation}. */
    Future<Response> load(long userId, String generation, Balance balance) {
        return LOAD.run(link, List.of(mirrorKey(userId), prefix + "gen"), List.of(generation,
                Long.toString(balance.available()), Long.toString(balance.version())));
    }

    /**
     * {@code holds-settle.lua}, not waited for: the stored {@code balance} mirrored where newer (none: null), and
     * the holds of {@code requestIds} ended. Should it fail, the holds run out with their leases instead.
     */
    void settle(long userId, Balance balance, List<String> requestIds) {
        List<String> args = new ArrayList<>(requestIds.size() + 2);
        args.add(balance == null ? "-1" : Long.toString(balance.available()));
        args.add(balance == null ? "-1" : Long.toString(balance.version()));
        args.addAll(requestIds);
        SETTLE.run(link, List.of(mirrorKey(userId), holdsKey(userId), prefix + "gen"), args).onFailure(e ->
                log.debug("redis: a commit not mirrored (its holds run out instead): {}", e.toString()));
    }

    /** {@code holds-renew.lua}, not waited for: the leases of {@code held} renewed from {@code now}. */
    void renew(Collection<RedisHolds.Held> held, long now) {
        List<String> keys = new ArrayList<>(held.size());
        List<String> args = new ArrayList<>(held.size() * 2 + 1);
        args.add(Long.toString(now + leaseMs));
        for (RedisHolds.Held h : held) {
            keys.add(holdsKey(h.hold().userId()));
            args.add(h.requestId());
            args.add(Long.toString(h.hold().userReserved()));
        }
        RENEW.run(link, keys, args).onFailure(e -> log.debug("redis: holds not renewed: {}", e.toString()));
    }

    private String mirrorKey(long userId) {
        return prefix + "u:" + userId;
    }

    private String holdsKey(long userId) {
        return prefix + "u:" + userId + ":h";
    }
}

package dev.antler.limits;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.billing.Usd;
import dev.antler.relay.RequestBody;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits a request against its key's rate limits (requests and tokens per minute, requests in
 * flight) and its user's daily spend cap, in memory: no store round trip on the hot path. Counting
 * happens for every key and user, limited or not, so a limit set later applies to recent traffic.
 *
 * <p>The counts here are per gateway instance. With {@link SharedLimits} on (Redis), a request this instance
 * admits is then counted once for all instances, and refused there when all of them together reached a
 * limit; while the shared counts are out of reach, each instance admits on its own counts alone.
 */
public final class Limiter {

    private static final long DAY_MS = 86_400_000L;

    private final Clock clock;
    private final Map<Long, KeyLimits> keyLimits = new ConcurrentHashMap<>();
    private final Map<Long, Long> dailyCaps = new ConcurrentHashMap<>();
    private final Map<Long, KeyCounters> keys = new ConcurrentHashMap<>();
    private final Map<Long, DailySpend> users = new ConcurrentHashMap<>();
    /** Each seeded user's spend on a day as the usage log had it, the base of that day's {@link DailySpend}. */
    private final Map<Long, Seed> seeds = new ConcurrentHashMap<>();

    private record Seed(long day, long spent) {}

    private volatile SharedLimits shared = SharedLimits.LOCAL;

    public Limiter(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    /** Counts limited keys and capped users on {@code shared} too, from the next admission on. */
    public void share(SharedLimits shared) {
        this.shared = requireNonNull(shared, "shared");
    }

    /**
     * Admits one request estimated at {@code tokenEstimate} tokens and {@code holdNanos} of money on this
     * instance's counts, or throws {@link LimitExceeded}; the shared limits' verdict follows in
     * {@link Admission#confirmed()}.
     */
    public Admission admit(Principal principal, long tokenEstimate, long holdNanos) {
        long now = clock.millis();
        long second = Math.floorDiv(now, 1000);
        long today = Math.floorDiv(now, DAY_MS);
        long keyId = principal.key().id();
        long userId = principal.user().id();
        KeyLimits limits = keyLimits.getOrDefault(keyId, KeyLimits.NONE);
        KeyCounters key = keys.computeIfAbsent(keyId, id -> new KeyCounters());
        DailySpend day = dayOf(userId, today);
        synchronized (key) {
            checkKey(limits, key, second, tokenEstimate);
            holdOnDay(day, userId, today, now, holdNanos);
            key.inFlight++;
            key.requests.add(second, 1, second);
            key.tokens.add(second, tokenEstimate, second);
        }
        Admission admission = new Admission(this, key, day, second, tokenEstimate, holdNanos);
        Long cap = dailyCaps.get(userId);
        if (limits.isNone() && cap == null) {
            return admission.counted(Admission.LOCAL_ONLY);
        }
        long spentToday;
        synchronized (day) {
            spentToday = day.spent(today);
        }
        SharedLimits sharing = shared;
        Future<SharedLimits.SharedTicket> ticket = sharing.admit(new SharedLimits.SharedRequest(keyId, userId,
                limits, cap, tokenEstimate, holdNanos, now, spentToday));
        ticket.onComplete(done -> {
            if (done.failed()) {
                admission.cancel();
            } else if (done.result() != null && done.result().spentToday() >= 0) {
                synchronized (day) {
                    day.atLeast(today, done.result().spentToday()); // what other instances spent today
                }
            }
        });
        return admission.counted(ticket.map(t -> t == null ? null : new SharedPart(sharing, t)));
    }

    /** A request's count on the shared limits, and where to undo it. */
    record SharedPart(SharedLimits limits, SharedLimits.SharedTicket ticket) {}

    /**
     * Throws the {@link LimitExceeded} that {@link #admit} would throw now for any request of this key (its
     * requests per minute, requests in flight or tokens per minute already used up) or user (daily cap
     * reached for a hold of {@code minimumHold}), counting nothing: the refusal that needs no body.
     * {@link #admit} still decides.
     */
    public void precheck(Principal principal, long minimumHold) {
        long keyId = principal.key().id();
        long userId = principal.user().id();
        KeyLimits limits = keyLimits.getOrDefault(keyId, KeyLimits.NONE);
        Long cap = dailyCaps.get(userId);
        if (limits.isNone() && cap == null) {
            return;
        }
        long now = clock.millis();
        KeyCounters key = keys.get(keyId);
        if (key != null) {
            synchronized (key) {
                checkKey(limits, key, Math.floorDiv(now, 1000), 1);
            }
        }
        DailySpend day = users.get(userId);
        if (cap != null && day != null) {
            long today = Math.floorDiv(now, DAY_MS);
            synchronized (day) {
                day.roll(today);
                if (day.committed() + minimumHold > cap) {
                    throw LimitExceeded.dailySpend(Usd.format(cap), Usd.format(day.committed()), Usd.format(minimumHold),
                            secondsUntilMidnight(today, now));
                }
            }
        }
    }

    /**
     * One more response of a long-lived admission (a realtime session, which counts as one request in flight):
     * throws {@link LimitExceeded} when the user's day cannot take what the admission holds on top of what was
     * spent, or the key's requests or tokens per minute are used up; else counts one request.
     */
    public void next(Admission admission, Principal principal) {
        long now = clock.millis();
        long today = Math.floorDiv(now, DAY_MS);
        Long cap = dailyCaps.get(principal.user().id());
        DailySpend day = admission.day();
        synchronized (day) {
            day.roll(today);
            if (cap != null && day.committed() > cap) {
                throw LimitExceeded.dailySpend(Usd.format(cap), Usd.format(day.committed() - admission.held()),
                        Usd.format(admission.held()), secondsUntilMidnight(today, now));
            }
        }
        long second = Math.floorDiv(now, 1000);
        KeyLimits limits = keyLimits.getOrDefault(principal.key().id(), KeyLimits.NONE);
        KeyCounters key = admission.key();
        synchronized (key) {
            checkRates(limits, key, second, 1);
            key.requests.add(second, 1, second);
        }
    }

    /** Part of a long-lived admission's work settled now: its tokens counted in the key's window, its charge on the day. */
    void spent(Admission admission, long tokens, long chargeNanos) {
        long now = clock.millis();
        long second = Math.floorDiv(now, 1000);
        KeyCounters key = admission.key();
        synchronized (key) {
            key.tokens.add(second, tokens, second);
        }
        DailySpend day = admission.day();
        synchronized (day) {
            day.settle(0, chargeNanos, Math.floorDiv(now, DAY_MS));
        }
    }

    /** Throws when one more request of {@code tokenEstimate} tokens would pass one of the key's limits. */
    private static void checkKey(KeyLimits limits, KeyCounters key, long second, long tokenEstimate) {
        if (limits.maxConcurrent() != null && key.inFlight >= limits.maxConcurrent()) {
            throw LimitExceeded.concurrency(limits.maxConcurrent());
        }
        checkRates(limits, key, second, tokenEstimate);
    }

    /** Throws when one more request of {@code tokenEstimate} tokens would pass the key's requests or tokens per minute. */
    private static void checkRates(KeyLimits limits, KeyCounters key, long second, long tokenEstimate) {
        if (limits.rpm() != null && key.requests.total(second) + 1 > limits.rpm()) {
            throw LimitExceeded.requests(limits.rpm(), key.requests.secondsUntilFits(second, 1, limits.rpm()));
        }
        long counted = key.tokens.total(second);
        // A request larger than the whole limit is admitted into an empty window, never refused forever.
        if (limits.tpm() != null && counted > 0 && counted + tokenEstimate > limits.tpm()) {
            long wanted = Math.min(tokenEstimate, limits.tpm());
            throw LimitExceeded.tokens(limits.tpm(), counted, tokenEstimate,
                    key.tokens.secondsUntilFits(second, wanted, limits.tpm()));
        }
    }

    private static long secondsUntilMidnight(long today, long now) {
        return Math.max(1, ((today + 1) * DAY_MS - now + 999) / 1000);
    }

    /** Whole seconds from {@code nowMillis} to the next 00:00 UTC, at least 1: a daily cap's {@code Retry-After}. */
    public static long secondsUntilMidnight(long nowMillis) {
        return secondsUntilMidnight(day(nowMillis), nowMillis);
    }

    /** The UTC day of {@code millis}, as days since the epoch. */
    public static long day(long millis) {
        return Math.floorDiv(millis, DAY_MS);
    }

    /**
     * The tokens a request counts for at admission: its JSON body at four bytes a token (the prompt,
     * roughly; the output is not known yet). Settlement replaces it by the tokens actually used.
     */
    public static long promptTokenEstimate(RequestBody body) {
        return body instanceof RequestBody.InMemory json ? json.bytes().length / 4 : 0;
    }

    private void holdOnDay(DailySpend day, long userId, long today, long now, long holdNanos) {
        Long cap = dailyCaps.get(userId);
        synchronized (day) {
            day.roll(today);
            if (cap != null && day.committed() + holdNanos > cap) {
                throw LimitExceeded.dailySpend(Usd.format(cap), Usd.format(day.committed()), Usd.format(holdNanos),
                        secondsUntilMidnight(today, now));
            }
            day.hold(holdNanos);
        }
    }

    void close(Admission admission, long tokensUsed, long chargeNanos, boolean settled) {
        long now = clock.millis();
        long second = Math.floorDiv(now, 1000);
        KeyCounters key = admission.key();
        synchronized (key) {
            key.inFlight--;
            if (!settled) {
                key.requests.add(admission.second(), -1, second);
            }
            key.tokens.add(admission.second(), tokensUsed - admission.tokenEstimate(), second);
        }
        DailySpend day = admission.day();
        synchronized (day) {
            if (settled) {
                day.settle(admission.held(), chargeNanos, Math.floorDiv(now, DAY_MS));
            } else {
                day.release(admission.held());
            }
        }
        admission.shared().onSuccess(part -> {
            if (part != null) {
                part.limits().close(part.ticket(), tokensUsed, chargeNanos, settled, clock.millis());
            }
        });
    }

    public KeyLimits keyLimits(long keyId) {
        return keyLimits.getOrDefault(keyId, KeyLimits.NONE);
    }

    public void setKeyLimits(long keyId, KeyLimits limits) {
        if (limits.isNone()) {
            keyLimits.remove(keyId);
        } else {
            keyLimits.put(keyId, limits);
        }
    }

    /** The user's daily spend cap in nano-USD, or null for none. */
    public Long dailyCap(long userId) {
        return dailyCaps.get(userId);
    }

    public void setDailyCap(long userId, Long capNanos) {
        if (capNanos == null) {
            dailyCaps.remove(userId);
        } else {
            dailyCaps.put(userId, capNanos);
        }
    }

    /** The users with a daily spend cap now. */
    public java.util.List<Long> cappedUsers() {
        return java.util.List.copyOf(dailyCaps.keySet());
    }

    /** What the user has been charged today (UTC) as this instance counts it. */
    public long spentToday(long userId) {
        long now = clock.millis();
        DailySpend day = dayOf(userId, Math.floorDiv(now, DAY_MS));
        synchronized (day) {
            return day.spent(Math.floorDiv(now, DAY_MS));
        }
    }

    /** What the user's daily spend cap still leaves today, holds in flight counted; Long.MAX_VALUE without a cap. */
    public long dailyRoom(long userId) {
        Long cap = dailyCaps.get(userId);
        if (cap == null) {
            return Long.MAX_VALUE;
        }
        long today = Math.floorDiv(clock.millis(), DAY_MS);
        DailySpend day = dayOf(userId, today);
        synchronized (day) {
            day.roll(today);
            return cap - day.committed();
        }
    }

    /** Requests of this key in flight now. */
    public int inFlight(long keyId) {
        KeyCounters key = keys.get(keyId);
        if (key == null) {
            return 0;
        }
        synchronized (key) {
            return key.inFlight;
        }
    }

    /**
     * Replaces the limits with the stored ones. A user with a daily cap this instance did not know yet
     * (all of them at start) first has today's spend read from the usage log, so the cap counts what was
     * spent before.
     */
    public void load(LimitStore store) {
        Map<Long, KeyLimits> storedKeys = store.allKeyLimits();
        keyLimits.keySet().retainAll(storedKeys.keySet());
        keyLimits.putAll(storedKeys);
        Map<Long, Long> storedCaps = store.allDailyCaps();
        seedSpend(store, storedCaps.keySet().stream().filter(id -> !dailyCaps.containsKey(id)).toList());
        dailyCaps.keySet().retainAll(storedCaps.keySet());
        dailyCaps.putAll(storedCaps);
    }

    /**
     * Reads today's spend of {@code userIds} from the usage log and counts at least that for them: a user's
     * spend before this instance started (or before a cap was set) is only read when it matters, so the
     * start does not sum a whole day of usage rows. Blocks on the store.
     */
    public void seedSpend(LimitStore store, Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        long today = Math.floorDiv(clock.millis(), DAY_MS);
        Map<Long, Long> spent = store.spentSince(today * DAY_MS, userIds);
        for (Long id : userIds) {
            long amount = spent.getOrDefault(id, 0L);
            seeds.put(id, new Seed(today, amount));
            DailySpend day = users.get(id);
            if (day != null) {
                synchronized (day) {
                    day.atLeast(today, amount);
                }
            }
        }
    }

    private DailySpend dayOf(long userId, long today) {
        return users.computeIfAbsent(userId, id -> {
            Seed seed = seeds.get(id);
            return new DailySpend(today, seed != null && seed.day() == today ? seed.spent() : 0);
        });
    }
}

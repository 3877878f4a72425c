package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses sign-ins for an account after {@code failures} failed attempts within a window, and for an address after
 * four times as many (one address trying many accounts), until the window that began with the first failure passes.
 * Kept in memory, per instance: a restart forgets the counts, and behind several instances each counts its own
 * share. A successful sign-in clears the account's count (not the address's).
 */
public final class SignInLimiter {

    /** Counts are dropped once this many are kept, oldest windows first by expiry on the next check. */
    private static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final int failures;
    private final long windowMs;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public SignInLimiter(Clock clock, int failures, long windowMs) {
        this.clock = requireNonNull(clock, "clock");
        this.failures = failures;
        this.windowMs = windowMs;
    }

    private record Window(long startMs, int count) {}

    /** Throws 429 with {@code Retry-After} when the account or the address has failed too often. */
    public void check(String account, String address) {
        long now = clock.millis();
        refuseIfSpent("account:" + account, failures, now);
        refuseIfSpent("address:" + address, failures * 4, now);
    }

    public void failed(String account, String address) {
        long now = clock.millis();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(w -> now - w.startMs() >= windowMs);
        }
        count("account:" + account, now);
        count("address:" + address, now);
    }

    public void succeeded(String account) {
        windows.remove("account:" + account);
    }

    private void count(String key, long now) {
        windows.compute(key, (k, w) -> w == null || now - w.startMs() >= windowMs
                ? new Window(now, 1) : new Window(w.startMs(), w.count() + 1));
    }

    private void refuseIfSpent(String key, int allowed, long now) {
        Window w = windows.get(key);
        if (w == null || now - w.startMs() >= windowMs || w.count() < allowed) {
            return;
        }
        long retryAfter = Math.max(1, (w.startMs() + windowMs - now + 999) / 1000);
        throw new GatewayException(429, ErrorKind.RATE_LIMIT, "too_many_sign_ins",
                "sign-in: " + w.count() + " failed attempts (expected: at most " + allowed + " per "
                        + windowMs / 1000 + " s; try again in " + retryAfter + " s)", retryAfter);
    }
}

package dev.antler.routing;

import java.util.ArrayDeque;

/**
 * The health of one channel. Closed: requests pass, failures are counted in a sliding window; at
 * {@code threshold} failures inside {@code windowMs} it opens. Open: requests are refused until
 * {@code openMs} have passed; then one request is let through as a probe (half-open). The probe's
 * success closes the breaker, its failure opens it again. Separately, a channel that answered 429 or
 * 503 with {@code Retry-After} is refused until then. Thread-safe; time comes from the caller.
 */
final class CircuitBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long windowMs;
    private final long openMs;
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    // Volatile so the common case (closed, no failures, not resting) is answered without the lock.
    private volatile State state = State.CLOSED;
    private volatile boolean clean = true;
    private volatile long coolUntil;
    private long openedAt;
    private boolean probing;

    CircuitBreaker(int threshold, long windowMs, long openMs) {
        this.threshold = threshold;
        this.windowMs = windowMs;
        this.openMs = openMs;
    }

    /** Whether a request may go to this channel now; in half-open state, claims the single probe. */
    boolean tryAcquire(long now) {
        if (state == State.CLOSED && now >= coolUntil) {
            return true;
        }
        return tryAcquireLocked(now);
    }

    private synchronized boolean tryAcquireLocked(long now) {
        if (now < coolUntil) {
            return false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> {
                if (now - openedAt < openMs) {
                    yield false;
                }
                state = State.HALF_OPEN;
                probing = true;
                yield true;
            }
            case HALF_OPEN -> {
                if (probing) {
                    yield false;
                }
                probing = true;
                yield true;
            }
        };
    }

    void onSuccess() {
        if (clean && state == State.CLOSED) {
            return;
        }
        synchronized (this) {
            state = State.CLOSED;
            probing = false;
            failures.clear();
            clean = true;
        }
    }

    synchronized void onFailure(long now) {
        if (state == State.HALF_OPEN) {
            open(now);
            return;
        }
        failures.addLast(now);
        clean = false;
        while (!failures.isEmpty() && now - failures.peekFirst() >= windowMs) {
            failures.removeFirst();
        }
        if (state == State.CLOSED && failures.size() >= threshold) {
            open(now);
        }
    }

    /** The attempt ended without telling anything about the channel (e.g. the client left): free the probe. */
    synchronized void onAbandoned() {
        probing = false;
    }

    synchronized void coolDown(long until) {
        coolUntil = Math.max(coolUntil, until);
    }

    /**
     * Milliseconds from {@code now} until a request may be let through; 0 if one may now,
     * {@link Long#MAX_VALUE} if never (the channel was taken out of routing). A half-open breaker whose
     * probe is under way has no known time: {@code probeWaitMs} is assumed.
     */
    synchronized long waitMillis(long now, long probeWaitMs) {
        if (coolUntil == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long wait = Math.max(0, coolUntil - now);
        if (state == State.OPEN) {
            wait = Math.max(wait, openedAt + openMs - now);
        } else if (state == State.HALF_OPEN && probing) {
            wait = Math.max(wait, probeWaitMs);
        }
        return wait;
    }

    synchronized State state(long now) {
        return state == State.OPEN && now - openedAt >= openMs ? State.HALF_OPEN : state;
    }

    synchronized long coolUntil() {
        return coolUntil;
    }

    synchronized int recentFailures() {
        return failures.size();
    }

    private void open(long now) {
        state = State.OPEN;
        openedAt = now;
        probing = false;
        failures.clear();
        clean = false;
    }
}

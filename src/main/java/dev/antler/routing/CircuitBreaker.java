package dev.antler.routing;

import java.util.ArrayDeque;

/**
 * The health of one channel. Closed: requests pass, failures are counted in a sliding window; at
 * {@code threshold} failures inside {@code windowMs} it opens. Open: requests are refused until
 * {@code openMs} have passed; then one request is let through as a probe (half-open). The probe's
 * success closes the breaker, its failure opens it again. Separately, a channel that answered 429 or
 * 503 with {@code Retry-After} is refused until then. Thread-safe; time comes from the caller.
 *
 * <p>Another instance's opening {@linkplain #hold holds} this breaker open too, until a time the caller
 * chooses; a held breaker is closed by that instance's {@linkplain #release close}, or probes by itself
 * once the hold ends. What this instance's own requests change is returned as a {@link Change}, for the
 * caller to tell the other instances; what they told it never is.
 */
final class CircuitBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    /** What this instance's own request outcome did to the breaker. */
    enum Change { NONE, OPENED, CLOSED }

    private final int threshold;
    private final long windowMs;
    private final long openMs;
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    // Volatile so the common case (closed, no failures, not resting) is answered without the lock.
    private volatile State state = State.CLOSED;
    private volatile boolean clean = true;
    private volatile long coolUntil;
    private long openUntil;
    private boolean probing;
    /** Open because another instance said so: its close closes this breaker too. */
    private boolean held;
    /** The mark of the last opening or close heard from another instance (a notice delivered twice is one). */
    private String lastHeard;

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
                if (now < openUntil) {
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

    Change onSuccess() {
        if (clean && state == State.CLOSED) {
            return Change.NONE;
        }
        synchronized (this) {
            boolean wasOpen = state != State.CLOSED;
            close();
            return wasOpen ? Change.CLOSED : Change.NONE;
        }
    }

    synchronized Change onFailure(long now) {
        if (state == State.HALF_OPEN) {
            open(now + openMs);
            return Change.OPENED;
        }
        failures.addLast(now);
        clean = false;
        while (!failures.isEmpty() && now - failures.peekFirst() >= windowMs) {
            failures.removeFirst();
        }
        if (state == State.CLOSED && failures.size() >= threshold) {
            open(now + openMs);
            return Change.OPENED;
        }
        return Change.NONE;
    }

    /** The attempt ended without telling anything about the channel (e.g. the client left): free the probe. */
    synchronized void onAbandoned() {
        probing = false;
    }

    /**
     * Another instance's breaker opened ({@code mark} names that opening): refuse requests until at least
     * {@code until}, a probe of this instance's own under way included (its outcome still counts). False when
     * that opening was heard already.
     */
    synchronized boolean hold(long until, String mark) {
        if (mark.equals(lastHeard)) {
            return false;
        }
        lastHeard = mark;
        open(state == State.OPEN ? Math.max(openUntil, until) : until);
        held = true;
        return true;
    }

    /**
     * Another instance's probe succeeded ({@code mark} names that close): a breaker held open by another
     * instance closes, unless a probe of its own is under way. False when nothing changed.
     */
    synchronized boolean release(String mark) {
        if (mark.equals(lastHeard)) {
            return false;
        }
        lastHeard = mark;
        if (!held || probing) {
            return false;
        }
        close();
        return true;
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
            wait = Math.max(wait, openUntil - now);
        } else if (state == State.HALF_OPEN && probing) {
            wait = Math.max(wait, probeWaitMs);
        }
        return wait;
    }

    synchronized State state(long now) {
        return state == State.OPEN && now >= openUntil ? State.HALF_OPEN : state;
    }

    /** Whether the breaker is open (or half-open) because another instance's breaker opened. */
    synchronized boolean held() {
        return held && state != State.CLOSED;
    }

    synchronized long coolUntil() {
        return coolUntil;
    }

    synchronized int recentFailures() {
        return failures.size();
    }

    private void open(long until) {
        state = State.OPEN;
        openUntil = until;
        probing = false;
        held = false;
        failures.clear();
        clean = false;
    }

    private void close() {
        state = State.CLOSED;
        probing = false;
        held = false;
        failures.clear();
        clean = true;
    }
}

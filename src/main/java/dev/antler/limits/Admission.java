package dev.antler.limits;

import dev.antler.billing.Usage;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request admitted by the {@link Limiter}: it holds one concurrency slot, one request and a token
 * estimate in the key's windows, and its money hold on the user's day. Closed exactly once, by
 * {@link #settle} when the request settles or by {@link #cancel} when it never started. With shared limits, the
 * request may start only once {@link #confirmed()} succeeded.
 */
public final class Admission {

    static final Future<Limiter.SharedPart> LOCAL_ONLY = Future.succeededFuture();

    private final Limiter limiter;
    private final KeyCounters key;
    private final DailySpend day;
    private final long second;
    private final long tokenEstimate;
    private final long held;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Future<Limiter.SharedPart> shared = LOCAL_ONLY;

    Admission(Limiter limiter, KeyCounters key, DailySpend day, long second, long tokenEstimate, long held) {
        this.limiter = limiter;
        this.key = key;
        this.day = day;
        this.second = second;
        this.tokenEstimate = tokenEstimate;
        this.held = held;
    }

    /**
     * The request ended: frees its slot, replaces the token estimate by the tokens the upstream
     * reported (or that were estimated from the answer) and the money hold by the charge.
     */
    public void settle(long chargeNanos, Usage usage) {
        if (closed.compareAndSet(false, true)) {
            limiter.close(this, usage.promptTokens() + usage.completionTokens(), chargeNanos, true);
        }
    }

    /**
     * Part of a long-lived request's work (one realtime response) settled: its tokens and charge counted now, so
     * the limits see a session's spend as it happens. {@link #settle} at the end counts what is left.
     */
    public void spent(long chargeNanos, Usage usage) {
        if (!closed.get()) {
            limiter.spent(this, usage.promptTokens() + usage.completionTokens(), chargeNanos);
        }
    }

    /** The request was refused after admission (by the balance check, say): undoes everything it counted. */
    public void cancel() {
        if (closed.compareAndSet(false, true)) {
            limiter.close(this, 0, 0, false);
        }
    }

    /**
     * Completes when the shared limits admitted the request too (at once without them), or fails with their
     * {@link LimitExceeded}, this admission then cancelled: what was held or begun for the request must be undone.
     */
    public Future<Void> confirmed() {
        return shared.mapEmpty();
    }

    Admission counted(Future<Limiter.SharedPart> sharedPart) {
        this.shared = sharedPart;
        return this;
    }

    Future<Limiter.SharedPart> shared() {
        return shared;
    }

    public boolean closed() {
        return closed.get();
    }

    KeyCounters key() {
        return key;
    }

    DailySpend day() {
        return day;
    }

    long second() {
        return second;
    }

    long tokenEstimate() {
        return tokenEstimate;
    }

    long held() {
        return held;
    }
}

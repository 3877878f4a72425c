package dev.antler.billing;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * How far the {@link LedgerWriter} is behind, and the gate in front of every hold: while settlements
 * wait longer or pile up higher than the configured bound (the store cannot write), new paid work is
 * refused with 503 and {@code Retry-After} rather than answered and left unrecorded. Reads on the hot
 * path are two volatile loads.
 */
public final class LedgerBacklog {

    private static final long RETRY_AFTER_SECONDS = 5;
    private static final long IDLE = Long.MIN_VALUE;

    private final Clock clock;
    private final int maxEntries;
    private final long maxAgeMillis;
    /** The writer's queue length (its queue keeps the count); none until a writer attaches. */
    private volatile IntSupplier queued = () -> 0;
    /**
     * When the oldest entry not yet written was queued ({@link System#nanoTime}: ages are elapsed time, which
     * a clock set back or forward must not change), or {@link #IDLE} when the writer is idle.
     */
    private volatile long oldestUnwrittenAt = IDLE;
    /** When writes began to fail (epoch ms), or 0 while they succeed. */
    private volatile long failingSince;
    private volatile String lastFailure;

    public LedgerBacklog(Clock clock, int maxEntries, long maxAgeMillis) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** A backlog that never refuses (tools and tests that drive a writer directly). */
    public static LedgerBacklog unbounded() {
        return new LedgerBacklog(Clock.systemUTC(), Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Throws 503 while the writer is past its bound; called before any money is held. */
    public void admitPaidWork() {
        int waiting = queued.getAsInt();
        long age = oldestUnwrittenMillis();
        if (waiting >= maxEntries || age > maxAgeMillis) {
            throw new GatewayException(503, ErrorKind.SERVER, "store_unavailable", "store: usage and charges "
                    + "cannot be recorded right now (" + waiting + " settlements waiting, the oldest for " + age / 1000 + " s); this request was refused "
                    + "and nothing was charged (expected: retry after " + RETRY_AFTER_SECONDS + " s)",
                    RETRY_AFTER_SECONDS);
        }
    }

    /** The writer whose queue this backlog measures. */
    void measure(IntSupplier queueLength) {
        queued = queueLength;
    }

    void writing(long queuedAt) {
        oldestUnwrittenAt = queuedAt;
    }

    void written() {
        oldestUnwrittenAt = IDLE;
        failingSince = 0;
    }

    void failing(String reason) {
        if (failingSince == 0) {
            failingSince = clock.millis();
        }
        lastFailure = reason;
    }

    /** Entries queued and not yet taken by the writer (a batch in progress is not counted). */
    public int queued() {
        return queued.getAsInt();
    }

    /** Milliseconds the oldest unwritten settlement has waited; 0 when none waits. */
    public long oldestUnwrittenMillis() {
        long oldest = oldestUnwrittenAt;
        return oldest == IDLE ? 0 : Math.max(0, (System.nanoTime() - oldest) / 1_000_000);
    }

    /** When the current run of failed writes began (epoch ms), 0 while writes succeed. */
    public long failingSince() {
        return failingSince;
    }

    /** The last write failure's message, or null; for the admin only. */
    public String lastFailure() {
        return lastFailure;
    }
}

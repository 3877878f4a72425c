package dev.antler.redis;

/**
 * Whether Redis counts as lost, or as back, from how it answered. A Redis that refuses or drops the connection is
 * lost at once. A late answer alone is not enough, since a busy machine (a pause, a loaded core) makes some answers
 * late while Redis is fine: Redis is lost only once {@link #LATE_IN_A_ROW} commands in a row, with none answered
 * in between, came too late over at least {@link #lateSpanMs} ms (the larger of 1 s and four timeouts). Back after
 * an outage, it counts as up again only once {@link #HEALTHY_PINGS} pings in a row were answered within the timeout;
 * the first connection counts at its first answer. Both rules keep an instance from going back and forth between
 * shared and local mode. Thread-safe.
 */
final class RedisVerdict {

    static final int LATE_IN_A_ROW = 3;
    static final int HEALTHY_PINGS = 3;
    private static final long MIN_LATE_SPAN_MS = 1_000;

    private final long lateSpanMs;
    private int late;
    private long firstLateAt;
    private int healthyPings;
    private boolean everUp;

    RedisVerdict(long timeoutMs) {
        this.lateSpanMs = Math.max(MIN_LATE_SPAN_MS, 4 * timeoutMs);
    }

    /** How long late answers must go on, with none in time between them, before Redis counts as lost. */
    long lateSpanMs() {
        return lateSpanMs;
    }

    /** A command was answered (an error reply included): Redis is there. */
    synchronized void answered() {
        late = 0;
    }

    /**
     * A command got no answer at {@code nowMillis}: {@code lateOnly} when it merely timed out (else the connection
     * was refused or lost). Returns whether Redis now counts as lost.
     */
    synchronized boolean noAnswer(boolean lateOnly, long nowMillis) {
        if (!lateOnly) {
            late = 0;
            return true;
        }
        if (late++ == 0) {
            firstLateAt = nowMillis;
        }
        if (late >= LATE_IN_A_ROW && nowMillis - firstLateAt >= lateSpanMs) {
            late = 0;
            return true;
        }
        return false;
    }

    /** A ping was answered, {@code inTime} within the timeout. Returns whether Redis counts as back. */
    synchronized boolean pinged(boolean inTime) {
        healthyPings = inTime ? healthyPings + 1 : 0;
        return !everUp || healthyPings >= HEALTHY_PINGS;
    }

    /** A ping (or the work done when Redis comes up) failed. */
    synchronized void pingFailed() {
        healthyPings = 0;
    }

    /** Redis counts as up from now on. */
    synchronized void up() {
        everUp = true;
        healthyPings = 0;
        late = 0;
    }
}

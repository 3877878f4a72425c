package dev.antler.relay;

import io.vertx.core.Vertx;

/**
 * Fails a body read that pauses too long between two chunks. Held in the event loop's {@link LoopDeadlines} once
 * armed, and looked at only when its idle time could have passed: a chunk costs a clock read.
 */
final class BodyIdleWatch extends LoopDeadlines.Entry {

    private final LoopDeadlines deadlines;
    private final long idleNanos;
    private final Runnable onIdle;
    private long lastProgress = System.nanoTime();
    private boolean armed;
    private boolean stopped;

    private BodyIdleWatch(Vertx vertx, long idleMs, Runnable onIdle) {
        this.deadlines = LoopDeadlines.ofThisThread(vertx);
        this.idleNanos = idleMs * 1_000_000;
        this.onIdle = onIdle;
    }

    static BodyIdleWatch start(Vertx vertx, long idleMs, Runnable onIdle) {
        BodyIdleWatch watch = unarmed(vertx, idleMs, onIdle);
        watch.arm();
        return watch;
    }

    /** A watch that starts watching with {@link #arm}: a body already read by then needs none. */
    static BodyIdleWatch unarmed(Vertx vertx, long idleMs, Runnable onIdle) {
        return new BodyIdleWatch(vertx, idleMs, onIdle);
    }

    /** Starts watching (once). */
    void arm() {
        if (!armed && !stopped) {
            armed = true;
            deadlines.schedule(this, System.nanoTime() + idleNanos);
        }
    }

    /** Bytes arrived. */
    void progress() {
        lastProgress = System.nanoTime();
    }

    void stop() {
        stopped = true;
        deadlines.remove(this);
    }

    @Override
    void due(long now) {
        if (stopped) {
            return;
        }
        long quiet = now - lastProgress;
        if (quiet >= idleNanos) {
            stopped = true;
            onIdle.run();
        } else {
            deadlines.schedule(this, lastProgress + idleNanos);
        }
    }
}

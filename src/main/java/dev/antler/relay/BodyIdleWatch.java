package dev.antler.relay;

import io.vertx.core.Vertx;

/**
 * Fails a body read that pauses too long between two chunks. One timer per body, re-armed only when it
 * fires: a chunk costs a clock read, not a timer reset.
 */
final class BodyIdleWatch {

    private final Vertx vertx;
    private final long idleNanos;
    private final Runnable onIdle;
    private long lastProgress = System.nanoTime();
    private long timer = -1;
    private boolean stopped;

    private BodyIdleWatch(Vertx vertx, long idleMs, Runnable onIdle) {
        this.vertx = vertx;
        this.idleNanos = idleMs * 1_000_000;
        this.onIdle = onIdle;
    }

    static BodyIdleWatch start(Vertx vertx, long idleMs, Runnable onIdle) {
        BodyIdleWatch watch = unarmed(vertx, idleMs, onIdle);
        watch.arm();
        return watch;
    }

    /** A watch whose timer starts with {@link #arm}: a body already read by then needs none. */
    static BodyIdleWatch unarmed(Vertx vertx, long idleMs, Runnable onIdle) {
        return new BodyIdleWatch(vertx, idleMs, onIdle);
    }

    /** Starts the timer (once). */
    void arm() {
        if (timer < 0 && !stopped) {
            arm(idleNanos);
        }
    }

    /** Bytes arrived. */
    void progress() {
        lastProgress = System.nanoTime();
    }

    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void arm(long delayNanos) {
        timer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> check());
    }

    private void check() {
        timer = -1;
        if (stopped) {
            return;
        }
        long quiet = System.nanoTime() - lastProgress;
        if (quiet >= idleNanos) {
            stopped = true;
            onIdle.run();
        } else {
            arm(idleNanos - quiet);
        }
    }
}

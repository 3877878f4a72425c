package dev.antler.relay;

import dev.antler.routing.ChannelTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Watches one attempt on the event loop: it may last at most the channel's total timeout, answer
 * included; once the answer is relaying, the upstream may be silent at most the idle timeout (before
 * the response head, the HTTP client's own idle timeout applies). A timeout before the head resets
 * the request, which fails the attempt as a timeout (so another channel is tried); a timeout during
 * the answer ends it as {@code timeout}.
 *
 * <p>The attempts of one event loop are checked together by one periodic sweep ({@link Sweep}) rather
 * than by a timer each: a timer set and cancelled per request was a measurable share of the relay's
 * CPU, and a sweep every {@value Sweep#PERIOD_MS} ms is as precise as the timers were.
 */
final class AttemptWatchdog {

    private final Sweep sweep;
    private final ChannelTimeouts timeouts;
    private final long deadline;
    private final BooleanSupplier settled;
    private final Supplier<ResponseRelay> relaying;
    private final Supplier<HttpClientRequest> inFlight;

    AttemptWatchdog(Vertx vertx, ChannelTimeouts timeouts, BooleanSupplier settled, Supplier<ResponseRelay> relaying,
                    Supplier<HttpClientRequest> inFlight) {
        this.timeouts = timeouts;
        this.deadline = System.nanoTime() + timeouts.total() * 1_000_000;
        this.settled = settled;
        this.relaying = relaying;
        this.inFlight = inFlight;
        this.sweep = Sweep.ofThisThread(vertx);
        sweep.add(this);
    }

    void cancel() {
        sweep.remove(this);
    }

    private void check() {
        if (settled.getAsBoolean()) {
            cancel();
            return;
        }
        boolean totalPassed = System.nanoTime() - deadline >= 0;
        ResponseRelay relay = relaying.get();
        HttpClientRequest request = inFlight.get();
        if (relay != null && (totalPassed || relay.idleMillis() >= timeouts.idle())) {
            cancel();
            relay.timeout();
        } else if (relay == null && totalPassed && request != null) {
            cancel();
            request.reset(0, new TimeoutException("total timeout: " + timeouts.total() + " ms"));
        }
    }

    /** The watched attempts of one event-loop thread, and the periodic timer that checks them while any remain. */
    private static final class Sweep {

        static final long PERIOD_MS = 20;
        private static final ThreadLocal<Sweep> PER_THREAD = new ThreadLocal<>();

        private final Vertx vertx;
        private final Set<AttemptWatchdog> watched = new HashSet<>();
        private long timer = -1;

        private Sweep(Vertx vertx) {
            this.vertx = vertx;
        }

        static Sweep ofThisThread(Vertx vertx) {
            Sweep sweep = PER_THREAD.get();
            if (sweep == null || sweep.vertx != vertx) {
                sweep = new Sweep(vertx);
                PER_THREAD.set(sweep);
            }
            return sweep;
        }

        void add(AttemptWatchdog watchdog) {
            watched.add(watchdog);
            if (timer < 0) {
                // Set from this event loop, so the timer fires on it: the checks need no locking.
                timer = vertx.setPeriodic(PERIOD_MS, id -> run());
            }
        }

        void remove(AttemptWatchdog watchdog) {
            watched.remove(watchdog);
        }

        private void run() {
            if (watched.isEmpty()) {
                vertx.cancelTimer(timer);
                timer = -1;
                return;
            }
            for (AttemptWatchdog watchdog : new ArrayList<>(watched)) { // a check may remove itself
                watchdog.check();
            }
        }
    }
}

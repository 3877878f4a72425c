package dev.antler.relay;

import dev.antler.routing.ChannelTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.ArrayList;
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
 * <p>The attempts of one event loop share one periodic timer ({@link Sweep}) rather than a timer each: a timer set
 * and cancelled per request was a measurable share of the relay's CPU. Each attempt is looked at only when one of its
 * timeouts could have passed (the earlier of its total deadline and its idle deadline as last seen), so thousands of
 * long streams cost the sweep nothing between their deadlines.
 */
final class AttemptWatchdog {

    private final Sweep sweep;
    private final ChannelTimeouts timeouts;
    private final long deadline;
    private final long idleNanos;
    private final BooleanSupplier settled;
    private final Supplier<ResponseRelay> relaying;
    private final Supplier<HttpClientRequest> inFlight;
    /** Where the sweep holds this attempt: the tick it is due at, its slot and its index there; slot -1 when not held. */
    private long dueTick;
    private int slot = -1;
    private int index;

    AttemptWatchdog(Vertx vertx, ChannelTimeouts timeouts, BooleanSupplier settled, Supplier<ResponseRelay> relaying,
                    Supplier<HttpClientRequest> inFlight) {
        this.timeouts = timeouts;
        long now = System.nanoTime();
        this.deadline = now + timeouts.total() * 1_000_000;
        this.idleNanos = timeouts.idle() * 1_000_000;
        this.settled = settled;
        this.relaying = relaying;
        this.inFlight = inFlight;
        this.sweep = Sweep.ofThisThread(vertx);
        sweep.schedule(this, nextLook(now, null));
    }

    void cancel() {
        sweep.remove(this);
    }

    private void check(long now) {
        if (settled.getAsBoolean()) {
            return;
        }
        boolean totalPassed = now - deadline >= 0;
        ResponseRelay relay = relaying.get();
        HttpClientRequest request = inFlight.get();
        if (relay != null && (totalPassed || relay.idleMillis() >= timeouts.idle())) {
            relay.timeout();
        } else if (relay == null && totalPassed && request != null) {
            request.reset(0, new TimeoutException("total timeout: " + timeouts.total() + " ms"));
        } else {
            sweep.schedule(this, nextLook(now, relay));
        }
    }

    /**
     * The earliest time a timeout could pass: the total deadline, or the upstream's silence reaching the idle timeout
     * (counted from its last chunk; before the answer relays, from now at the earliest).
     */
    private long nextLook(long now, ResponseRelay relay) {
        long idleFrom = relay == null ? now : now - relay.idleMillis() * 1_000_000;
        long idleDeadline = idleFrom + idleNanos;
        return idleDeadline - deadline < 0 ? idleDeadline : deadline;
    }

    /**
     * The watched attempts of one event-loop thread in a timing wheel of {@value #SLOTS} slots of {@value #PERIOD_MS} ms,
     * and the periodic timer that turns it while any remain. An attempt due beyond one turn of the wheel stays in its
     * slot until the turn it is due in.
     */
    private static final class Sweep {

        static final long PERIOD_MS = 20;
        private static final long PERIOD_NANOS = PERIOD_MS * 1_000_000;
        private static final int SLOTS = 1024;
        private static final ThreadLocal<Sweep> PER_THREAD = new ThreadLocal<>();

        private final Vertx vertx;
        @SuppressWarnings("unchecked")
        private final ArrayList<AttemptWatchdog>[] slots = new ArrayList[SLOTS];
        private final ArrayList<AttemptWatchdog> due = new ArrayList<>();
        private int watched;
        /** The last tick whose slot was looked at. */
        private long sweptTick;
        private long timer = -1;

        private Sweep(Vertx vertx) {
            this.vertx = vertx;
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = new ArrayList<>();
            }
        }

        static Sweep ofThisThread(Vertx vertx) {
            Sweep sweep = PER_THREAD.get();
            if (sweep == null || sweep.vertx != vertx) {
                sweep = new Sweep(vertx);
                PER_THREAD.set(sweep);
            }
            return sweep;
        }

        /** Holds {@code watchdog} until the first sweep at or after {@code atNanos}. */
        void schedule(AttemptWatchdog watchdog, long atNanos) {
            remove(watchdog);
            if (timer < 0) {
                // Set from this event loop, so the timer fires on it: the checks need no locking.
                timer = vertx.setPeriodic(PERIOD_MS, id -> run());
                sweptTick = Math.floorDiv(System.nanoTime(), PERIOD_NANOS);
            }
            long tick = Math.max(Math.ceilDiv(atNanos, PERIOD_NANOS), sweptTick + 1);
            ArrayList<AttemptWatchdog> in = slots[(int) (tick & (SLOTS - 1))];
            watchdog.dueTick = tick;
            watchdog.slot = (int) (tick & (SLOTS - 1));
            watchdog.index = in.size();
            in.add(watchdog);
            watched++;
        }

        void remove(AttemptWatchdog watchdog) {
            if (watchdog.slot < 0) {
                return;
            }
            ArrayList<AttemptWatchdog> in = slots[watchdog.slot];
            AttemptWatchdog last = in.remove(in.size() - 1);
            if (last != watchdog) {
                in.set(watchdog.index, last);
                last.index = watchdog.index;
            }
            watchdog.slot = -1;
            watched--;
        }

        private void run() {
            if (watched == 0) {
                vertx.cancelTimer(timer);
                timer = -1;
                return;
            }
            long now = System.nanoTime();
            long nowTick = Math.floorDiv(now, PERIOD_NANOS);
            // A late timer catches up, at most one turn of the wheel (which visits every slot).
            for (long tick = Math.max(sweptTick + 1, nowTick - SLOTS + 1); tick <= nowTick; tick++) {
                for (AttemptWatchdog watchdog : slots[(int) (tick & (SLOTS - 1))]) {
                    if (watchdog.dueTick <= nowTick) {
                        due.add(watchdog);
                    }
                }
            }
            sweptTick = nowTick;
            for (AttemptWatchdog watchdog : due) { // a check may end its attempt, which removes others' entries
                if (watchdog.slot >= 0) {
                    remove(watchdog);
                    watchdog.check(now);
                }
            }
            due.clear();
        }
    }
}

package dev.antler.relay;

import dev.antler.routing.ChannelTimeouts;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Watches one attempt on the event loop: it may last at most the channel's total timeout, answer
 * included, and the upstream may be silent at most the idle timeout (from the request going out, or its
 * last byte). A timeout before the answer relays resets the request, which fails the attempt as a timeout
 * (before the head, another channel is tried); a timeout during the answer ends it as {@code timeout}.
 *
 * <p>The attempt is looked at ({@link LoopDeadlines}) only when one of its timeouts could have passed: the earlier of
 * its total deadline and its idle deadline as last seen, so thousands of long streams cost nothing between their
 * deadlines.
 */
final class AttemptWatchdog extends LoopDeadlines.Entry {

    private final LoopDeadlines deadlines;
    private final ChannelTimeouts timeouts;
    private final long deadline;
    private final long idleNanos;
    private final BooleanSupplier settled;
    private final Supplier<ResponseRelay> relaying;
    private final Supplier<UpstreamExchange> inFlight;

    AttemptWatchdog(Vertx vertx, ChannelTimeouts timeouts, BooleanSupplier settled, Supplier<ResponseRelay> relaying,
                    Supplier<UpstreamExchange> inFlight) {
        this.timeouts = timeouts;
        long now = System.nanoTime();
        this.deadline = now + timeouts.total() * 1_000_000;
        this.idleNanos = timeouts.idle() * 1_000_000;
        this.settled = settled;
        this.relaying = relaying;
        this.inFlight = inFlight;
        this.deadlines = LoopDeadlines.ofThisThread(vertx);
        deadlines.schedule(this, nextLook(now, null));
    }

    void cancel() {
        deadlines.remove(this);
    }

    @Override
    void due(long now) {
        if (settled.getAsBoolean()) {
            return;
        }
        boolean totalPassed = now - deadline >= 0;
        ResponseRelay relay = relaying.get();
        UpstreamExchange request = inFlight.get();
        boolean idlePassed = request != null && request.idleMillis() >= timeouts.idle();
        if (relay != null && (totalPassed || idlePassed)) {
            relay.timeout();
        } else if (relay == null && request != null && totalPassed) {
            request.reset(new TimeoutException("total timeout: " + timeouts.total() + " ms"));
        } else if (relay == null && idlePassed) {
            request.reset(new TimeoutException("idle timeout: no byte from the upstream in " + timeouts.idle() + " ms"));
        } else {
            deadlines.schedule(this, nextLook(now, request));
        }
    }

    /**
     * The earliest time a timeout could pass: the total deadline, or the upstream's silence reaching the idle timeout
     * (counted from its last byte, or the request going out; before that, from now at the earliest).
     */
    private long nextLook(long now, UpstreamExchange request) {
        long idleFrom = now - (request == null ? 0 : request.idleMillis()) * 1_000_000;
        long idleDeadline = idleFrom + idleNanos;
        return idleDeadline - deadline < 0 ? idleDeadline : deadline;
    }
}

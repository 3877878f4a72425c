package dev.antler.relay;

import dev.antler.routing.ChannelTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Watches one attempt on the event loop: it may last at most the channel's total timeout, answer
 * included; once the answer is relaying, the upstream may be silent at most the idle timeout (before
 * the response head, the HTTP client's own idle timeout applies). A timeout before the head resets
 * the request, which fails the attempt as a timeout (so another channel is tried); a timeout during
 * the answer ends it as {@code timeout}.
 */
final class AttemptWatchdog {

    private final Vertx vertx;
    private final long timer;

    AttemptWatchdog(Vertx vertx, ChannelTimeouts timeouts, BooleanSupplier settled, Supplier<ResponseRelay> relaying,
                    Supplier<HttpClientRequest> inFlight) {
        this.vertx = vertx;
        long deadline = System.nanoTime() + timeouts.total() * 1_000_000;
        long period = Math.max(20, Math.min(1_000, Math.min(timeouts.idle(), timeouts.total()) / 4));
        this.timer = vertx.setPeriodic(period, id -> {
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
        });
    }

    void cancel() {
        vertx.cancelTimer(timer);
    }
}

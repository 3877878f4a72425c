package dev.antler.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Writes a fake upstream's stream events the way a server does: in a loop (never a call per event, which a long
 * stream would overflow the stack with), pausing between events when asked, and waiting for the reader whenever the
 * connection's write queue is full, so a gateway that stops reading stops the upstream.
 */
final class EventWriter {

    private final Vertx vertx;
    private final HttpServerRequest request;
    private final List<String> events;
    private final long eventDelayMs;
    private final int cutAfter;

    private EventWriter(Vertx vertx, HttpServerRequest request, List<String> events, long eventDelayMs, int cutAfter) {
        this.vertx = vertx;
        this.request = request;
        this.events = events;
        this.eventDelayMs = eventDelayMs;
        this.cutAfter = cutAfter;
    }

    /**
     * Writes {@code events} on the (chunked, headed) response of {@code request}, {@code eventDelayMs} apart, then
     * ends it; closes the connection instead once {@code cutAfter} events are written (-1: never).
     */
    static void write(Vertx vertx, HttpServerRequest request, List<String> events, long eventDelayMs, int cutAfter) {
        new EventWriter(vertx, request, events, eventDelayMs, cutAfter).writeFrom(0);
    }

    private void writeFrom(int first) {
        HttpServerResponse response = request.response();
        for (int index = first; !response.closed(); index++) {
            if (index == cutAfter) {
                request.connection().close();
                return;
            }
            if (index == events.size()) {
                response.end();
                return;
            }
            response.write(events.get(index));
            int next = index + 1;
            if (eventDelayMs > 0) {
                vertx.setTimer(eventDelayMs, t -> writeFrom(next));
                return;
            }
            if (response.writeQueueFull()) {
                response.drainHandler(v -> writeFrom(next));
                return;
            }
        }
    }
}

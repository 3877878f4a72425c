package dev.antler.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes HTTP/1 connections that do not send a complete request head within the deadline: after
 * connecting, and after each answer while kept alive (then it is also the keep-alive idle timeout). A
 * connection sending its head a byte at a time is closed like a silent one. One per event loop, used
 * only on it; a request costs two field writes, and one sweep a fraction of the deadline checks them all.
 * A connection upgraded to a WebSocket leaves the watch: the session's own idle timeout and pings cover it.
 */
final class HeaderDeadline {

    private final long timeoutNanos;
    private final Map<HttpConnection, Watch> watches = new IdentityHashMap<>();
    /** The connections watched, on all event loops: HTTP/1 connections open now. */
    private final LongAdder watched;

    private static final class Watch {
        int active;
        long waitingSince;

        Watch(long now) {
            waitingSince = now;
        }
    }

    HeaderDeadline(long timeoutMs, LongAdder watched) {
        this.timeoutNanos = timeoutMs * 1_000_000;
        this.watched = requireNonNull(watched, "watched");
    }

    /** How often {@link #sweep} should run: a connection is closed at most this late. */
    static long sweepIntervalMs(long timeoutMs) {
        return Math.max(10, Math.min(1000, timeoutMs / 4));
    }

    void connected(HttpConnection connection) {
        watch(connection);
        connection.closeHandler(v -> unwatch(connection));
    }

    void headReceived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        Watch watch = watches.get(connection);
        if (watch == null) {
            return;
        }
        if (request.version() == HttpVersion.HTTP_2) { // streams come and go; its idle timeout covers it
            unwatch(connection);
            return;
        }
        if (request.method() == HttpMethod.GET && request.canUpgradeToWebSocket()) {
            // Once a WebSocket takes the connection over, Vert.x calls neither the answer's end handler nor the
            // connection's close handler: kept, the watch would hold the closed connection for good. An upgrade
            // refused with an HTTP answer leaves an HTTP/1 connection, watched again from that answer on.
            unwatch(connection);
            request.response().bodyEndHandler(v -> watch(connection));
            return;
        }
        watch.active++;
        request.response().bodyEndHandler(v -> {
            if (--watch.active == 0) {
                watch.waitingSince = System.nanoTime();
            }
        });
    }

    /** Closes the connections that have waited past the deadline for a request head. */
    void sweep() {
        long now = System.nanoTime();
        List<HttpConnection> late = new ArrayList<>();
        watches.forEach((connection, watch) -> {
            if (watch.active == 0 && now - watch.waitingSince > timeoutNanos) {
                late.add(connection);
            }
        });
        for (HttpConnection connection : late) {
            unwatch(connection);
            connection.close();
        }
    }

    private void watch(HttpConnection connection) {
        if (watches.put(connection, new Watch(System.nanoTime())) == null) {
            watched.increment();
        }
    }

    private void unwatch(HttpConnection connection) {
        if (watches.remove(connection) != null) {
            watched.decrement();
        }
    }
}

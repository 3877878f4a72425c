package dev.antler.relay;

import dev.antler.metrics.UpstreamPools;
import io.netty.channel.EventLoop;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's keep-alive connections to one upstream origin, used only on that loop: an idle connection (the
 * most recently used first) carries the next exchange; without one a connection is opened while the origin's limit
 * allows ({@link Shared}, counted over every loop); past it the exchange waits for one to come free. Idle
 * connections close after the keep-alive time.
 */
final class OriginPool {

    /** What the pools of one origin share across event loops: the limit on open connections and the meters. */
    static final class Shared {
        private final int maxConnections;
        private final AtomicInteger open = new AtomicInteger();
        private final List<OriginPool> pools = new CopyOnWriteArrayList<>();
        private final UpstreamPools.Pool waitMeter;
        private final UpstreamPools.Connections connectionMeter;

        Shared(int maxConnections, UpstreamPools.Pool waitMeter, UpstreamPools.Connections connectionMeter) {
            this.maxConnections = maxConnections;
            this.waitMeter = waitMeter;
            this.connectionMeter = connectionMeter;
        }

        private boolean tryOpen() {
            while (true) {
                int now = open.get();
                if (now >= maxConnections) {
                    return false;
                }
                if (open.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        /**
         * {@code from} is at the limit with exchanges waiting: the other loops each close their longest-idle
         * connection, if they have one, so that the slot comes to where it is needed (else waiters could wait out the
         * keep-alive time behind connections another loop is not using).
         */
        private void reclaimIdleFor(OriginPool from) {
            for (OriginPool pool : pools) {
                if (pool != from) {
                    pool.loop.execute(pool::closeLongestIdle);
                }
            }
        }

        /** Whether a loop other than {@code from} has exchanges waiting for a connection. */
        private boolean waitingElsewhere(OriginPool from) {
            for (OriginPool pool : pools) {
                if (pool != from && pool.waitingCount > 0) {
                    return true;
                }
            }
            return false;
        }

        /** A connection closed: one waiting exchange, on whichever loop, may open one now. */
        private void closedOn(OriginPool from) {
            open.decrementAndGet();
            for (OriginPool pool : pools) {
                if (pool != from && pool.waitingCount > 0) {
                    pool.loop.execute(pool::serveWaiting);
                }
            }
        }
    }

    private final UpstreamClient client;
    private final UpstreamOrigin origin;
    private final EventLoop loop;
    private final Shared shared;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamExchange> waiting = new ArrayDeque<>();
    /** {@code waiting.size()}, for other loops to look at when a connection closes. */
    private volatile int waitingCount;

    OriginPool(UpstreamClient client, UpstreamOrigin origin, EventLoop loop, Shared shared) {
        this.client = client;
        this.origin = origin;
        this.loop = loop;
        this.shared = shared;
        shared.pools.add(this);
    }

    /** How long a connection idles when its upstream does not say. */
    long defaultKeepAliveNanos() {
        return client.keepAliveNanos();
    }

    UpstreamPools.Connections meters() {
        return shared.connectionMeter;
    }

    /** {@code exchange} goes out on an idle connection, a new one, or when one comes free. */
    void lease(UpstreamExchange exchange) {
        exchange.queuedIn(this);
        UpstreamConnection connection = takeIdle();
        if (connection != null) {
            connection.carry(exchange);
        } else if (shared.tryOpen()) {
            open(exchange);
        } else {
            waiting.addLast(exchange);
            waitingCount = waiting.size();
            shared.waitMeter.enqueue();
            // Looked at again now that the others can see this loop waiting: a connection another loop closed
            // between the limit check above and the count would otherwise free a slot that nobody takes.
            serveWaiting();
            if (!waiting.isEmpty()) {
                shared.reclaimIdleFor(this);
            }
        }
    }

    private void closeLongestIdle() {
        UpstreamConnection longest = idle.peekFirst();
        if (longest != null) {
            longest.close(); // the pool forgets it, and tells the waiting loops, when it is closed
        }
    }

    /** {@code exchange} no longer wants a connection (it was reset while waiting or connecting). */
    void withdraw(UpstreamExchange exchange) {
        if (waiting.remove(exchange)) {
            waitingCount = waiting.size();
            shared.waitMeter.dequeue(null);
        }
    }

    /**
     * {@code connection}'s exchange is over; one the upstream keeps alive for {@code keepAliveNanos} (0 or less: not
     * at all) carries the next waiting exchange, or idles that long at most.
     */
    void release(UpstreamConnection connection, long keepAliveNanos) {
        if (keepAliveNanos <= 0 || !connection.usable()) {
            connection.close();
            return;
        }
        UpstreamExchange next = nextWaiting();
        if (next != null) {
            connection.carry(next);
            return;
        }
        if (shared.waitingElsewhere(this)) {
            connection.close(); // its slot goes to a loop with exchanges waiting (see Shared#reclaimIdleFor)
            return;
        }
        idle.addLast(connection);
        LoopDeadlines.ofThisThread(client.vertx()).schedule(connection.idleExpiry(), System.nanoTime() + keepAliveNanos);
    }

    /** {@code connection} closed, idle or not. */
    void closed(UpstreamConnection connection) {
        if (connection.ready()) {
            shared.connectionMeter.disconnected();
        }
        if (idle.remove(connection)) {
            LoopDeadlines.ofThisThread(client.vertx()).remove(connection.idleExpiry());
        }
        shared.closedOn(this);
        serveWaiting();
    }

    /** Opens connections for waiting exchanges while the limit allows. */
    private void serveWaiting() {
        while (!waiting.isEmpty()) {
            UpstreamConnection connection = takeIdle();
            if (connection == null && !shared.tryOpen()) {
                return;
            }
            UpstreamExchange next = nextWaiting();
            if (connection != null) {
                connection.carry(next);
            } else {
                open(next);
            }
        }
    }

    private UpstreamExchange nextWaiting() {
        UpstreamExchange next = waiting.pollFirst();
        if (next != null) {
            waitingCount = waiting.size();
            shared.waitMeter.dequeue(null);
        }
        return next;
    }

    private UpstreamConnection takeIdle() {
        UpstreamConnection connection;
        while ((connection = idle.pollLast()) != null) {
            LoopDeadlines.ofThisThread(client.vertx()).remove(connection.idleExpiry());
            if (connection.usable()) {
                return connection;
            }
        }
        return null;
    }

    /** Opens a connection (counted already) for {@code exchange}; if the exchange is gone by then, another takes it. */
    private void open(UpstreamExchange exchange) {
        ContextInternal context = exchange.context();
        UpstreamConnection connection = new UpstreamConnection(this);
        client.connect(origin, loop, connection, exchange.connectTimeoutMs()).addListener(opened -> {
            ContextInternal previous = context.beginDispatch();
            try {
                if (!opened.isSuccess()) {
                    connection.close();
                    if (connection.markClosed()) {
                        shared.closedOn(this); // the limit's count is given back (a handshake may have failed)
                    }
                    if (!exchange.isDone()) {
                        exchange.onFailure(opened.cause());
                    }
                    serveWaiting();
                    return;
                }
                connection.markReady();
                shared.connectionMeter.connected();
                if (exchange.isDone()) {
                    release(connection, client.keepAliveNanos());
                } else {
                    connection.carry(exchange);
                }
            } finally {
                context.endDispatch(previous);
            }
        });
    }
}

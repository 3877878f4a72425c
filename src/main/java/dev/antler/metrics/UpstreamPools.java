package dev.antler.metrics;

import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The upstream connection pools, told by the relay's own client ({@link #pool}, {@link #connections}) and by Vert.x's
 * client through its metrics SPI (the only Vert.x meters the gateway turns on): per
 * upstream {@code host:port}, requests waiting for a connection and the pool's size (the client's {@code http} pool
 * meters), and per upstream address the connections open, in use by a request or idle (the client's endpoint
 * meters). One small object and a few adder increments per upstream request; a scrape sums them.
 */
public final class UpstreamPools implements VertxMetrics {

    /** One upstream's pool: requests that waited for a connection (begun and ended), its size. */
    public static final class Pool implements PoolMetrics<Object, Object> {
        final int maxSize;
        final LongAdder queued = new LongAdder();
        final LongAdder dequeued = new LongAdder();

        Pool(int maxSize) {
            this.maxSize = maxSize;
        }

        @Override
        public Object enqueue() {
            queued.increment();
            return null;
        }

        @Override
        public void dequeue(Object waiter) {
            dequeued.increment();
        }

        long waiting() {
            return Math.max(0, queued.sum() - dequeued.sum());
        }
    }

    /**
     * One upstream address's connections, opened and closed, and its requests under way (from the request's start
     * to the end of its answer or its reset): over HTTP/1.1 each holds one connection, the rest of the open ones idle.
     */
    public static final class Connections implements ClientMetrics<Connections.Request, Object, Object> {
        final LongAdder opened = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder begun = new LongAdder();
        final LongAdder ended = new LongAdder();

        /** One request, ended once (an answer's end or a reset, whichever comes first). */
        static final class Request {
            private boolean ended;
        }

        @Override
        public Request init() {
            return new Request();
        }

        @Override
        public void requestBegin(Request request, String uri, Object ignored) {
            begun.increment();
        }

        @Override
        public void responseEnd(Request request, long bytes) {
            end(request);
        }

        @Override
        public void requestReset(Request request) {
            end(request);
        }

        private void end(Request request) {
            if (request != null && !request.ended) {
                request.ended = true;
                ended.increment();
            }
        }

        /** A request began on one of the connections (the relay's own client). */
        public void begun() {
            begun.increment();
        }

        /** A request begun ended: its answer's end, or its failure or reset. */
        public void ended() {
            ended.increment();
        }

        long inUse() {
            return Math.max(0, begun.sum() - ended.sum());
        }

        @Override
        public void connected() {
            opened.increment();
        }

        @Override
        public void disconnected() {
            closed.increment();
        }

        long open() {
            return Math.max(0, opened.sum() - closed.sum());
        }
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, Connections> connections = new ConcurrentHashMap<>();

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
        return "http".equals(poolType) ? pools.computeIfAbsent(poolName, name -> new Pool(maxPoolSize)) : null;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public HttpClientMetrics<?, ?> createHttpClientMetrics(HttpClientConfig config) {
        return new HttpClientMetrics() {
            @Override
            public ClientMetrics createEndpointMetrics(SocketAddress remote, int maxPoolSize) {
                String address = (remote.hostAddress() != null ? remote.hostAddress() : remote.host()) + ":"
                        + remote.port();
                return connections.computeIfAbsent(address, a -> new Connections());
            }
        };
    }

    /** The pool meters of upstream {@code host} ({@code host:port}), for a client that is not Vert.x's. */
    public Pool pool(String host, int maxSize) {
        return pools.computeIfAbsent(host, name -> new Pool(maxSize));
    }

    /** The connection meters of upstream {@code address} ({@code host:port}), for a client that is not Vert.x's. */
    public Connections connections(String address) {
        return connections.computeIfAbsent(address, a -> new Connections());
    }

    /** The pools and connections as the Prometheus text format. */
    void write(PromText out) {
        out.family("antler_upstream_pool_waiting", "gauge",
                "Requests waiting for an upstream connection now, by upstream host:port.");
        pools.forEach((host, pool) -> out.sample("antler_upstream_pool_waiting", PromText.labels("host", host),
                pool.waiting()));
        out.family("antler_upstream_pool_max", "gauge", "The most connections the pool opens to one upstream.");
        pools.forEach((host, pool) -> out.sample("antler_upstream_pool_max", PromText.labels("host", host),
                pool.maxSize));
        out.family("antler_upstream_connections", "gauge",
                "Upstream connections open now, by upstream address and state (in_use by a request, or idle).");
        connections.forEach((address, c) -> {
            long open = c.open();
            long inUse = Math.min(open, c.inUse());
            out.sample("antler_upstream_connections", PromText.labels("address", address, "state", "in_use"), inUse);
            out.sample("antler_upstream_connections", PromText.labels("address", address, "state", "idle"),
                    open - inUse);
        });
    }
}

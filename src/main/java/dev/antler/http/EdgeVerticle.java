package dev.antler.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * One HTTP listener on one event loop. The gateway deploys one per event loop on the same port;
 * Vert.x spreads connections across them.
 */
public final class EdgeVerticle extends VerticleBase {

    private final Handler<HttpServerRequest> handler;
    private final String host;
    private final int port;
    private final Duration drainTimeout;
    private final long headerReadTimeoutMs;
    private HttpServer server;
    private long sweeper = -1;

    public EdgeVerticle(Routes routes, String host, int port, Duration drainTimeout, long headerReadTimeoutMs) {
        this(routes::dispatch, host, port, drainTimeout, headerReadTimeoutMs);
    }

    /**
     * Serves every request with {@code handler} (the routes behind the CORS policy, say); closes connections
     * that take longer than {@code headerReadTimeoutMs} to send a request head.
     */
    public EdgeVerticle(Handler<HttpServerRequest> handler, String host, int port, Duration drainTimeout,
                        long headerReadTimeoutMs) {
        this.handler = handler;
        this.host = host;
        this.port = port;
        this.drainTimeout = drainTimeout;
        this.headerReadTimeoutMs = headerReadTimeoutMs;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setHandle100ContinueAutomatically(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setMaxHeaderSize(64 * 1024)
                .setIdleTimeout(600)
                .setStrictThreadMode(true);
        HeaderDeadline deadline = new HeaderDeadline(headerReadTimeoutMs);
        sweeper = vertx.setPeriodic(HeaderDeadline.sweepIntervalMs(headerReadTimeoutMs), id -> deadline.sweep());
        server = vertx.createHttpServer(options)
                .connectionHandler(deadline::connected)
                .requestHandler(request -> {
                    deadline.headReceived(request);
                    handler.handle(request);
                });
        return server.listen(port, host);
    }

    /** Stops accepting connections and waits for requests in flight, up to the drain timeout. */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweeper);
        return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout);
    }

    public int actualPort() {
        return server.actualPort();
    }
}

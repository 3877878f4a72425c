package dev.antler.http;

import dev.antler.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * One HTTP listener on one event loop. The gateway deploys one per event loop on the same port;
 * Vert.x spreads connections across them.
 */
public final class EdgeVerticle extends VerticleBase {

    /** 16 MiB: OpenAI Realtime takes audio appends of up to 15 MiB in one message. */
    private static final int MAX_WEBSOCKET_FRAME = 16 * 1024 * 1024;

    private final Handler<HttpServerRequest> handler;
    private final int port;
    private final Duration drainTimeout;
    private final ServerConfig settings;
    private final LongAdder connections;
    private HttpServer server;
    private long sweeper = -1;

    public EdgeVerticle(Routes routes, ServerConfig settings, int port, Duration drainTimeout) {
        this(routes::dispatch, settings, port, drainTimeout, new LongAdder());
    }

    /**
     * Serves every request with {@code handler} (the routes behind the CORS policy, say) on {@code settings}'
     * host and {@code port}; closes connections slower than {@code settings.headerReadTimeoutMs()} to send a
     * request head. {@code connections} counts the HTTP/1 connections open, over all the verticles sharing it.
     */
    public EdgeVerticle(Handler<HttpServerRequest> handler, ServerConfig settings, int port, Duration drainTimeout,
                        LongAdder connections) {
        this.handler = handler;
        this.settings = settings;
        this.connections = connections;
        this.port = port;
        this.drainTimeout = drainTimeout;
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
                // With h2c on, Vert.x shows a connection only once its first request head is complete, so a
                // client sending that head slowly cannot be timed out: it is off unless the operator wants it.
                .setHttp2ClearTextEnabled(settings.http2Cleartext())
                .setStrictThreadMode(true)
                // WebSocket routes (OpenAI Realtime): frames as large as an audio append, and the protocol a
                // browser offers next to its key, which must be answered for the browser to accept the upgrade.
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_FRAME)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_FRAME)
                .addWebSocketSubProtocol("realtime");
        HeaderDeadline deadline = new HeaderDeadline(settings.headerReadTimeoutMs(), connections);
        sweeper = vertx.setPeriodic(HeaderDeadline.sweepIntervalMs(settings.headerReadTimeoutMs()),
                id -> deadline.sweep());
        server = vertx.createHttpServer(options)
                .connectionHandler(deadline::connected)
                .requestHandler(request -> {
                    deadline.headReceived(request);
                    handler.handle(request);
                });
        return server.listen(port, settings.host());
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

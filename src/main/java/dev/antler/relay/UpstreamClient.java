package dev.antler.relay;

import dev.antler.metrics.UpstreamPools;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The relay's HTTP/1.1 client for upstreams, written on Netty's pipeline and run on the event loop of the request it
 * serves: each loop keeps its own keep-alive pools ({@link OriginPool}), so an exchange never leaves its thread, and
 * the client's own work per request is a pool lookup, one write and the codec. Vert.x's client did the same job
 * through endpoint resolution, a shared pool and future composition: about a fifth of the relay's event-loop time
 * under chat load. TLS uses the JDK's trust store (the {@code javax.net.ssl.trustStore} property adds a CA) and
 * verifies the host name; names resolve through Vert.x's resolver, never blocking the loop. Other upstream calls
 * (task polls, downloads, probes) stay on Vert.x's client.
 */
public final class UpstreamClient {

    /** A connection idle this long closes (upstreams commonly close theirs after a minute or more). */
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(50);

    private final VertxInternal vertx;
    private final int maxConnectionsPerOrigin;
    private final UpstreamPools meters;
    /**
     * Built on a thread of its own from the start: loading the JDK's TLS provider and trust store takes a good part
     * of a second, which the first relayed response (usually plain HTTP in front of a local model, or a later
     * HTTPS one) should not wait for.
     */
    private final CompletableFuture<SslContext> tls;
    private final Bootstrap bootstrap;
    private final Map<UpstreamOrigin, OriginPool.Shared> shared = new ConcurrentHashMap<>();
    private final FastThreadLocal<Map<UpstreamOrigin, OriginPool>> loopPools = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamOrigin, OriginPool> initialValue() {
            return new HashMap<>();
        }
    };

    /** {@code maxConnectionsPerOrigin}: connections open at once to one upstream, over all event loops. */
    public UpstreamClient(Vertx vertx, int maxConnectionsPerOrigin, UpstreamPools meters) {
        this(vertx, maxConnectionsPerOrigin, meters, SslContextBuilder.forClient());
    }

    /** A client whose TLS is built from {@code tls} (a test's trust), verifying host names all the same. */
    UpstreamClient(Vertx vertx, int maxConnectionsPerOrigin, UpstreamPools meters, SslContextBuilder tls) {
        this.vertx = (VertxInternal) vertx;
        this.maxConnectionsPerOrigin = maxConnectionsPerOrigin;
        this.meters = meters;
        this.tls = CompletableFuture.supplyAsync(() -> {
            try {
                return tls.endpointIdentificationAlgorithm("HTTPS").build();
            } catch (SSLException e) {
                throw new IllegalStateException("TLS for upstreams: " + e.getMessage(), e);
            }
        }, runnable -> Thread.ofPlatform().name("antler-tls-setup").daemon().start(runnable));
        this.bootstrap = new Bootstrap()
                .channelFactory(this.vertx.transport().channelFactory(false))
                .resolver(this.vertx.nameResolver().nettyAddressResolverGroup())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    /**
     * Starts {@code request} on the calling event loop. {@link UpstreamExchange#answer()} tells how it went; an
     * {@link IllegalArgumentException} when its URL is no absolute http(s) URL or it has a header HTTP forbids.
     */
    UpstreamExchange exchange(UpstreamRequest request, long connectTimeoutMs) {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            throw new IllegalStateException("upstream exchanges run on an event loop");
        }
        UpstreamAddresses.Target target = UpstreamAddresses.target(request.url());
        UpstreamExchange exchange = new UpstreamExchange(context, request, target, connectTimeoutMs);
        EventLoop loop = context.nettyEventLoop();
        loopPools.get().computeIfAbsent(target.origin(), origin -> new OriginPool(this, origin, loop,
                shared.computeIfAbsent(origin, o -> new OriginPool.Shared(maxConnectionsPerOrigin,
                        meters.pool(o.address(), maxConnectionsPerOrigin), meters.connections(o.address())))))
                .lease(exchange);
        return exchange;
    }

    Vertx vertx() {
        return vertx;
    }

    long keepAliveNanos() {
        return KEEP_ALIVE_NANOS;
    }

    /** Opens a connection to {@code origin} on {@code loop} for {@code connection}; done once it can carry requests. */
    Future<?> connect(UpstreamOrigin origin, EventLoop loop, UpstreamConnection connection, long timeoutMs) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        Promise<Void> ready = loop.newPromise();
        Bootstrap attempt = bootstrap.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeout)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (origin.tls()) {
                            SslHandler handler = tls.join().newHandler(channel.alloc(), origin.connectHost(),
                                    origin.port());
                            handler.setHandshakeTimeoutMillis(timeout);
                            pipeline.addLast(handler);
                        }
                        pipeline.addLast(new HttpClientCodec(new HttpDecoderConfig()
                                .setMaxHeaderSize(64 * 1024).setMaxChunkSize(64 * 1024), false, false));
                        pipeline.addLast(connection);
                    }
                });
        attempt.connect(InetSocketAddress.createUnresolved(origin.connectHost(), origin.port())).addListener(
                connected -> {
                    if (!connected.isSuccess()) {
                        ready.tryFailure(connected.cause());
                    } else if (origin.tls()) {
                        Channel channel = ((io.netty.channel.ChannelFuture) connected).channel();
                        channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(shaken -> {
                            if (shaken.isSuccess()) {
                                ready.trySuccess(null);
                            } else {
                                ready.tryFailure(shaken.cause());
                            }
                        });
                    } else {
                        ready.trySuccess(null);
                    }
                });
        return ready;
    }
}

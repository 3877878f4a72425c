import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A third floor for the benchmark (bench/run), between bench/VertxRelay.java and bench/NettyRelay.java: a bare
 * reverse proxy with Antler's own split of the HTTP stack — Vert.x's HTTP server towards the client, an upstream
 * client written on Netty's pipeline and codec, on the same event loop — with nothing else on. Its gap to the Netty
 * relay is what Vert.x's server side costs Antler per request (what moving the server side onto Netty would save);
 * its gap to Antler is Antler's own work. Run with the JDK source launcher:
 *
 * <pre>java -cp 'target/lib/*' bench/VertxNettyRelay.java PORT UPSTREAM_PORT</pre>
 *
 * One event loop. Relays the method, path, Content-Type and the whole body (read first, as Antler reads a JSON
 * body); answers with the upstream's status, Content-Type and body, streamed as it arrives (SSE included). Upstream
 * connections are kept alive in a pool.
 */
public final class VertxNettyRelay {

    private final InetSocketAddress upstream;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    private VertxNettyRelay(Vertx vertx, InetSocketAddress upstream) {
        this.upstream = upstream;
        // the upstream client on the server's transport (epoll or the JDK's selector), as Antler's
        this.bootstrap = new Bootstrap().channelFactory(((VertxInternal) vertx).transport().channelFactory(false))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new UpstreamSide());
                    }
                });
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setDisableTCCL(true)
                .setPreferNativeTransport(true)); // Antler's default transport
        VertxNettyRelay relay = new VertxNettyRelay(vertx,
                new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setReuseAddress(true)
                        .setCompressionSupported(false).setStrictThreadMode(true).setIdleTimeout(600))
                .requestHandler(relay::relay)
                .listen(port, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        System.out.println("bare Vert.x server + Netty client relay listening on 127.0.0.1:" + port
                + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (NIO)"));
    }

    private void relay(HttpServerRequest request) {
        EventLoop loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
        HttpMethod method = HttpMethod.valueOf(request.method().name());
        String type = request.getHeader("Content-Type");
        request.body().onSuccess(body -> {
            DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, request.uri(),
                    Unpooled.wrappedBuffer(body.getBytes()));
            out.headers().set(HttpHeaderNames.HOST, upstream.getHostString() + ":" + upstream.getPort());
            out.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length());
            if (type != null) {
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            }
            Channel pooled = idle.pollFirst();
            if (pooled != null && pooled.isActive()) {
                send(pooled, out, request.response());
            } else {
                bootstrap.clone(loop).connect(upstream).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        send(f.channel(), out, request.response());
                    } else {
                        out.release();
                        request.response().setStatusCode(502).end();
                    }
                });
            }
        });
    }

    private void send(Channel channel, DefaultFullHttpRequest out, HttpServerResponse response) {
        channel.pipeline().get(UpstreamSide.class).response = response;
        channel.writeAndFlush(out);
    }

    /** One upstream connection: streams the answer back to the client of its current request. */
    private final class UpstreamSide extends SimpleChannelInboundHandler<HttpObject> {
        HttpServerResponse response;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject part) {
            HttpServerResponse client = response;
            if (part instanceof HttpResponse head) {
                client.setStatusCode(head.status().code());
                String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
                if (type != null) {
                    client.putHeader("Content-Type", type);
                }
                String length = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
                if (length != null) {
                    client.putHeader("Content-Length", length);
                } else {
                    client.setChunked(true);
                }
            }
            if (part instanceof HttpContent content) {
                ByteBuf bytes = content.content();
                Buffer chunk = Buffer.buffer(bytes.readableBytes()); // to the heap, as Antler copies each read
                chunk.appendBytes(io.netty.buffer.ByteBufUtil.getBytes(bytes));
                if (part instanceof LastHttpContent) {
                    response = null;
                    idle.addFirst(ctx.channel());
                    client.end(chunk);
                } else if (chunk.length() > 0) {
                    client.write(chunk);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(ctx.channel());
            if (response != null) {
                response.reset();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

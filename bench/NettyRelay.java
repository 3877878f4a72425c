import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A second floor for the benchmark (bench/run), beside bench/VertxRelay.java: a bare reverse proxy written
 * directly on Netty's channel pipeline and HTTP/1.1 codec — the transport Antler's Vert.x server and client
 * are built on — with nothing else on. The gap between it and the Vert.x relay is what Vert.x's HTTP layers
 * cost per request; the gap between it and nginx is what a relay on Netty's transport cannot avoid. The transport is
 * Antler's: Linux's epoll through Netty's native library where it loads (as Antler's server.native_transport), else
 * the JDK's selector.
 * Run with the JDK source launcher:
 *
 * <pre>java -cp 'target/lib/*' bench/NettyRelay.java PORT UPSTREAM_PORT</pre>
 *
 * One event loop, as the Vert.x relay. Relays the method, path, Content-Type and body; answers with the
 * upstream's status, Content-Type and body, streamed as it arrives (SSE included). Upstream connections are
 * kept alive in a pool; a request whose connection is not ready yet has its parts queued until it is.
 */
public final class NettyRelay {

    private final InetSocketAddress upstream;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final Bootstrap client;
    private static final boolean EPOLL = Epoll.isAvailable();
    private static final IoHandlerFactory IO = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    private static final Class<? extends SocketChannel> CLIENT_CHANNEL =
            EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    private static final Class<? extends ServerChannel> SERVER_CHANNEL =
            EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;

    private NettyRelay(EventLoopGroup loop, InetSocketAddress upstream) {
        this.upstream = upstream;
        this.client = new Bootstrap().group(loop).channel(CLIENT_CHANNEL)
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
        int upstreamPort = Integer.parseInt(args[1]);
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, IO);
        NettyRelay relay = new NettyRelay(loop, new InetSocketAddress("127.0.0.1", upstreamPort));
        new ServerBootstrap().group(loop).channel(SERVER_CHANNEL)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), relay.new ClientSide());
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("bare Netty relay listening on 127.0.0.1:" + port + (EPOLL ? " (epoll)" : " (NIO)"));
    }

    /** One client connection: each request goes to an upstream connection taken from the pool. */
    private final class ClientSide extends SimpleChannelInboundHandler<HttpObject> {
        private Exchange current;

        ClientSide() {
            super(false); // parts are handed on to the upstream, which releases them
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject part) {
            if (part instanceof HttpRequest request) {
                DefaultHttpRequest out = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri());
                out.headers().set(HttpHeaderNames.HOST, upstream.getHostString() + ":" + upstream.getPort());
                copy(request, out, HttpHeaderNames.CONTENT_TYPE);
                if (!copy(request, out, HttpHeaderNames.CONTENT_LENGTH)) {
                    HttpUtil.setTransferEncodingChunked(out, HttpUtil.isTransferEncodingChunked(request));
                }
                current = new Exchange(ctx.channel(), HttpUtil.isKeepAlive(request));
                current.send(out);
            }
            if (part instanceof HttpContent content) {
                current.send(content);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One request on its way: the client connection, and the upstream connection once it is ready. */
    private final class Exchange {
        final Channel client;
        final boolean keepAlive;
        Channel upstreamChannel;
        List<Object> queued = new ArrayList<>(2);

        Exchange(Channel client, boolean keepAlive) {
            this.client = client;
            this.keepAlive = keepAlive;
            Channel pooled = idle.pollFirst();
            if (pooled != null && pooled.isActive()) {
                attach(pooled);
            } else {
                NettyRelay.this.client.connect(upstream).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        attach(f.channel());
                    } else {
                        client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                HttpResponseStatus.BAD_GATEWAY)).addListener(ChannelFutureListener.CLOSE);
                    }
                });
            }
        }

        private void attach(Channel channel) {
            upstreamChannel = channel;
            channel.pipeline().get(UpstreamSide.class).exchange = this;
            for (Object part : queued) {
                write(part);
            }
            queued = null;
        }

        void send(Object part) {
            if (queued != null) {
                queued.add(part);
            } else {
                write(part);
            }
        }

        private void write(Object part) {
            if (part instanceof LastHttpContent) {
                upstreamChannel.writeAndFlush(part);
            } else {
                upstreamChannel.write(part);
            }
        }
    }

    /** One upstream connection: streams the answer of its current exchange back to that exchange's client. */
    private final class UpstreamSide extends SimpleChannelInboundHandler<HttpObject> {
        Exchange exchange;

        UpstreamSide() {
            super(false); // parts are handed on to the client, which releases them
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject part) {
            Exchange ex = exchange;
            if (part instanceof HttpResponse response) {
                DefaultHttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
                copy(response, out, HttpHeaderNames.CONTENT_TYPE);
                if (!copy(response, out, HttpHeaderNames.CONTENT_LENGTH)) {
                    HttpUtil.setTransferEncodingChunked(out, true);
                }
                if (!ex.keepAlive) {
                    out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                ex.client.write(out);
            }
            if (part instanceof LastHttpContent last) {
                exchange = null;
                idle.addFirst(ctx.channel());
                var written = ex.client.writeAndFlush(last);
                if (!ex.keepAlive) {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            } else if (part instanceof HttpContent content) {
                ex.client.writeAndFlush(content);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(ctx.channel());
            if (exchange != null) {
                exchange.client.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static boolean copy(io.netty.handler.codec.http.HttpMessage from,
            io.netty.handler.codec.http.HttpMessage to, CharSequence name) {
        String value = from.headers().get(name);
        if (value != null) {
            to.headers().set(name, value);
        }
        return value != null;
    }
}

package dev.antler.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One keep-alive HTTP/1.1 connection to an upstream, the last handler of its Netty pipeline: it carries one
 * {@link UpstreamExchange} at a time and hands what it reads to it, on the exchange's Vert.x context (so the relay's
 * code runs as it would in any Vert.x callback); between exchanges it waits in its {@link OriginPool}.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    /** The upstream closed the connection before the answer was complete. */
    static final class UpstreamClosedException extends IOException {
        UpstreamClosedException() {
            super("the upstream closed the connection");
        }
    }

    private final OriginPool pool;
    private Channel channel;
    private final LoopDeadlines.Entry idleExpiry = new LoopDeadlines.Entry() {
        @Override
        void due(long now) {
            channel.close(); // idle too long: the pool forgets it when it is closed
        }
    };
    private UpstreamExchange current;
    /** Reading an informational (1xx) answer, which is skipped up to its end. */
    private boolean informational;
    private boolean closed;
    /** Connected (and shaken hands): counted open by the meters. */
    private boolean ready;

    UpstreamConnection(OriginPool pool) {
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Marks the connection able to carry requests. */
    void markReady() {
        ready = true;
    }

    boolean ready() {
        return ready;
    }

    /** Marks the connection closed; true the first time, so that it is counted closed once. */
    boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    Channel channel() {
        return channel;
    }

    LoopDeadlines.Entry idleExpiry() {
        return idleExpiry;
    }

    boolean usable() {
        return !closed && channel.isActive();
    }

    /** Sends {@code exchange}'s request on this connection and reads its answer. */
    void carry(UpstreamExchange exchange) {
        current = exchange;
        pool.meters().begun();
        exchange.carriedBy(this);
    }

    /** Back-pressure: stops or starts reading the socket. */
    void reading(boolean on) {
        channel.config().setAutoRead(on);
        if (on) {
            channel.read();
        }
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        UpstreamExchange exchange = current;
        if (exchange == null) {
            // Nothing was asked: bytes on an idle connection are no answer; it cannot be trusted with a request.
            ReferenceCountUtil.release(message);
            channel.close();
            return;
        }
        // onContext's steps, written out: this runs per read, and the message would make its step a new object each.
        ContextInternal previous = exchange.context().beginDispatch();
        try {
            read(exchange, (HttpObject) message);
        } finally {
            exchange.context().endDispatch(previous);
        }
    }

    private void read(UpstreamExchange exchange, HttpObject message) {
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            finish(exchange);
            exchange.onFailure(message.decoderResult().cause());
            channel.close();
            return;
        }
        if (message instanceof HttpResponse head) {
            int status = head.status().code();
            informational = status >= 100 && status < 200;
            if (!informational) {
                exchange.onHead(head);
            }
        }
        if (message instanceof HttpContent content) {
            boolean last = message instanceof LastHttpContent;
            if (informational) {
                content.release();
                informational = !last;
                return;
            }
            exchange.onContent(content.content());
            if (last) {
                finish(exchange);
                boolean reusable = exchange.onEnd();
                pool.release(this, reusable ? exchange.keepAliveNanos(pool.defaultKeepAliveNanos()) : 0);
            }
        }
    }

    /** The exchange is over for this connection. */
    private void finish(UpstreamExchange exchange) {
        if (current == exchange) {
            current = null;
            pool.meters().ended();
        }
        if (!channel.config().isAutoRead()) {
            reading(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamExchange exchange = current;
        if (exchange != null) {
            onContext(exchange, UpstreamExchange::onReadComplete);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamExchange exchange = current;
        if (exchange != null && channel.isWritable()) {
            onContext(exchange, UpstreamExchange::onWritable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new UpstreamClosedException());
        if (markClosed()) {
            pool.closed(this);
        }
    }

    private void fail(Throwable cause) {
        UpstreamExchange exchange = current;
        if (exchange == null) {
            return;
        }
        finish(exchange);
        onContext(exchange, failed -> failed.onFailure(cause));
    }

    /** Runs {@code step} of {@code exchange} on the exchange's Vert.x context, as a Vert.x callback runs. */
    private static void onContext(UpstreamExchange exchange, Consumer<UpstreamExchange> step) {
        ContextInternal previous = exchange.context().beginDispatch();
        try {
            step.accept(exchange);
        } finally {
            exchange.context().endDispatch(previous);
        }
    }
}

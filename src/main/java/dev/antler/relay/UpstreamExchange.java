package dev.antler.relay;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * One request to an upstream and its answer, on the event loop that made it ({@link UpstreamClient}): the request
 * goes out once a connection is leased, {@link #answer()} completes at the response head, then the body comes to
 * {@link #handler} as it is read, with {@link #pause()} and {@link #resume()} for back-pressure (a pause stops reading
 * the socket; what one read already decoded still comes). Every callback runs on the exchange's context. A
 * {@link #reset} ends it from the gateway's side: the connection is closed, never reused, and a pending answer or
 * body fails with the cause.
 */
final class UpstreamExchange {

    /** An error answer's body is kept up to this size (the client is shown at most 64 KiB of it). */
    private static final int MAX_KEPT_BODY = 1024 * 1024;

    private final ContextInternal context;
    private final UpstreamRequest request;
    private final UpstreamAddresses.Target target;
    private final HttpHeaders headers;
    private final long connectTimeoutMs;
    private final PromiseInternal<UpstreamExchange> answer;
    private OriginPool pool;
    private boolean wentOut;
    private UpstreamConnection connection;
    private UpstreamBodies.FileBody fileBody;
    private long lastIoNanos;
    private boolean requestWritten;
    private HttpResponse head;
    /** The answer ended, or the exchange failed or was reset: nothing more happens. */
    private boolean done;
    private boolean ended;
    private Throwable failure;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Handler<Void> readCompleteHandler;
    /** Body read before a handler was set. */
    private Buffer early;

    UpstreamExchange(ContextInternal context, UpstreamRequest request, UpstreamAddresses.Target target,
                     long connectTimeoutMs) {
        this.context = context;
        this.request = request;
        this.target = target;
        this.connectTimeoutMs = connectTimeoutMs;
        this.answer = context.promise();
        this.headers = requestHeaders(request, target.origin());
    }

    /** The request's headers as they go out; an {@link IllegalArgumentException} for a name or value HTTP forbids. */
    private static HttpHeaders requestHeaders(UpstreamRequest request, UpstreamOrigin origin) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        if (!headers.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, origin.hostHeader());
        }
        return headers;
    }

    ContextInternal context() {
        return context;
    }

    /** How long a connection opened for this exchange may take to connect (and shake hands). */
    long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** Completes with this exchange at the response head; fails when the request could not be made or answered. */
    Future<UpstreamExchange> answer() {
        return answer.future();
    }

    /** A connection was leased and the request began to go out: the upstream may have it. */
    boolean wentOut() {
        return wentOut;
    }

    /** Milliseconds since a byte of this exchange was last read (or, before any, since the request went out). */
    long idleMillis() {
        return wentOut ? (System.nanoTime() - lastIoNanos) / 1_000_000 : 0;
    }

    int status() {
        return head.status().code();
    }

    /** The first value of response header {@code name} (ignoring case), or null. */
    String header(CharSequence name) {
        return head.headers().get(name);
    }

    UpstreamExchange handler(Handler<Buffer> handler) {
        this.handler = handler;
        if (handler != null && early != null) {
            Buffer read = early;
            early = null;
            handler.handle(read);
        }
        return this;
    }

    UpstreamExchange endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    UpstreamExchange exceptionHandler(Handler<Throwable> exceptionHandler) {
        this.exceptionHandler = exceptionHandler;
        return this;
    }

    /** Told at the end of each read from the upstream that handed body to {@link #handler} (not after the end). */
    UpstreamExchange readCompleteHandler(Handler<Void> readCompleteHandler) {
        this.readCompleteHandler = readCompleteHandler;
        return this;
    }

    /** The whole answer body (its first MiB kept), or the failure that cut it. */
    Future<Buffer> body() {
        Promise<Buffer> whole = context.promise();
        Buffer kept = Buffer.buffer();
        handler(chunk -> {
            if (kept.length() < MAX_KEPT_BODY) {
                kept.appendBuffer(chunk, 0, Math.min(chunk.length(), MAX_KEPT_BODY - kept.length()));
            }
        });
        exceptionHandler(whole::tryFail);
        endHandler(v -> whole.tryComplete(kept));
        if (ended) {
            whole.tryComplete(kept);
        } else if (failure != null) {
            whole.tryFail(failure);
        }
        return whole.future();
    }

    void pause() {
        if (connection != null && !done) {
            connection.reading(false);
        }
    }

    void resume() {
        if (connection != null && !done) {
            connection.reading(true);
        }
    }

    /** Ends the exchange from the gateway's side: the upstream's answer, if any, is no longer wanted. */
    void reset() {
        reset(new CancellationException("the gateway abandoned the upstream request"));
    }

    void reset(Throwable cause) {
        if (done) {
            return;
        }
        UpstreamConnection abandoned = connection;
        if (abandoned == null && pool != null) {
            pool.withdraw(this);
        }
        fail(cause);
        if (abandoned != null) {
            abandoned.close();
        }
    }

    // ---- called by the pool and the connection, on the exchange's event loop ----

    /** Waits in (or is served by) {@code pool}. */
    void queuedIn(OriginPool pool) {
        this.pool = pool;
    }

    boolean isDone() {
        return done;
    }

    /** {@code leased} carries this exchange: the request goes out. */
    void carriedBy(UpstreamConnection leased) {
        connection = leased;
        wentOut = true;
        lastIoNanos = System.nanoTime();
        fileBody = UpstreamBodies.write(leased.channel(), HttpMethod.valueOf(request.method()), target.uri(), headers,
                request.body(), this::onFailure);
        requestWritten = fileBody == null;
        onWritable();
    }

    /** The connection can take more of a file body. */
    void onWritable() {
        UpstreamBodies.FileBody writing = fileBody;
        if (writing != null && !done) {
            writing.resume(); // may fail this exchange (a file that cannot be read)
            if (writing.done() && !done) {
                fileBody = null;
                requestWritten = true;
            }
        }
    }

    /** The response head; informational (1xx) heads are not passed here. */
    void onHead(HttpResponse response) {
        lastIoNanos = System.nanoTime();
        if (done) {
            return;
        }
        head = response;
        answer.tryComplete(this);
    }

    /** A piece of the body; this exchange owns {@code content} now. */
    void onContent(ByteBuf content) {
        lastIoNanos = System.nanoTime();
        if (done || !content.isReadable()) {
            content.release();
            return;
        }
        Buffer chunk = BufferInternal.safeBuffer(content); // copied to the heap, the pooled buffer released
        if (handler != null) {
            handler.handle(chunk);
        } else if (early == null) {
            early = chunk;
        } else {
            early.appendBuffer(chunk);
        }
    }

    /** A read from the connection is complete. */
    void onReadComplete() {
        if (!done && readCompleteHandler != null) {
            readCompleteHandler.handle(null);
        }
    }

    /**
     * The answer is complete; returns whether its connection may carry another request (the request went out whole
     * and both sides keep the connection alive).
     */
    boolean onEnd() {
        if (done) {
            return false;
        }
        done = true;
        ended = true;
        boolean reusable = requestWritten && HttpUtil.isKeepAlive(head);
        connection = null;
        stopFileBody(); // answered before the upload was sent whole: the rest is not sent
        if (endHandler != null) {
            endHandler.handle(null);
        }
        return reusable;
    }

    /**
     * How long the connection may idle after this answer: {@code defaultNanos}, or less when the upstream said
     * {@code Keep-Alive: timeout=N} — a second less than N, so the gateway closes it first rather than sending a
     * request on a connection the upstream is closing.
     */
    long keepAliveNanos(long defaultNanos) {
        String keepAlive = head.headers().get(HttpHeaderNames.KEEP_ALIVE);
        if (keepAlive == null) {
            return defaultNanos;
        }
        for (String parameter : keepAlive.split(",")) {
            String trimmed = parameter.trim();
            if (trimmed.regionMatches(true, 0, "timeout=", 0, 8)) {
                try {
                    long seconds = Long.parseLong(trimmed.substring(8).trim());
                    return Math.min(defaultNanos, TimeUnit.SECONDS.toNanos(seconds - 1));
                } catch (NumberFormatException e) {
                    return defaultNanos;
                }
            }
        }
        return defaultNanos;
    }

    /** The request could not be made or its answer not read whole. */
    void onFailure(Throwable cause) {
        if (!done) {
            UpstreamConnection broken = connection;
            fail(cause);
            if (broken != null) {
                broken.close();
            }
        }
    }

    private void fail(Throwable cause) {
        done = true;
        failure = cause;
        connection = null;
        stopFileBody();
        if (head == null) {
            answer.tryFail(cause);
        } else if (exceptionHandler != null) {
            exceptionHandler.handle(cause);
        }
    }

    private void stopFileBody() {
        if (fileBody != null) {
            fileBody.close();
            fileBody = null;
        }
    }
}

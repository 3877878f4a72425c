package dev.antler.relay;

import dev.antler.billing.Usage;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.metrics.RelayOverhead;
import dev.antler.sse.SseEvent;
import dev.antler.sse.SseException;
import dev.antler.sse.SseFramer;
import dev.antler.tokens.TokenCounting;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a successful upstream answer to the client as it arrives, with back-pressure both ways,
 * feeding a {@link ResponseTap}. Streams are relayed event by event (the events of one upstream read
 * in one write, see {@link ReadBatch}); a stream that fails is ended with an error event in the
 * family's format (unless the upstream's own end already went out), never with a fake end of stream;
 * one that ends inside a UTF-8 character is cut. Reports once how the answer ended ({@link EndReason}:
 * complete, client gone, upstream cut or timeout) and what the tap metered — metered off the event loop when
 * the tap counts tokens, the client's response ended after it. When the tap has a
 * {@link ResponseRewriter}, a non-streamed answer is held (up to the rewriter's limit; a larger one
 * is relayed as it comes) and the rewritten answer is sent in its place.
 */
final class ResponseRelay {

    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

    private static final int MAX_SSE_EVENT = 8 * 1024 * 1024;
    /**
     * Netty's {@link AsciiString}s keep their hash, which ignores case: a lookup by one hashes no name (seven lookups
     * per answer showed in profiles). Written to the client as spelled here.
     */
    private static final AsciiString[] FORWARDED_HEADERS = names("Content-Type", "Content-Disposition",
            "Content-Language", "Cache-Control", "OpenAI-Processing-Ms");

    private final Exchange exchange;
    private final UpstreamExchange upstream;
    private final ResponseTap tap;
    private final Consumer<Outcome> onEnd;
    private final HttpServerResponse client;
    private boolean stream;
    private SseFramer framer;
    private ReadBatch batch;
    private final long upstreamHeadNanos = System.nanoTime();
    /** The upstream sent its whole answer (a rewrite may still be running): timeouts no longer apply. */
    private boolean upstreamDone;
    private long delivered;
    private boolean headWritten;
    private boolean ended;
    private ResponseRewriter rewriter;
    /** A non-streamed answer held for the rewriter; null when bytes are relayed as they come. */
    private Buffer held;
    /** The Content-Length the client was promised (a non-streamed answer relayed as it comes); -1 when none. */
    private long promisedLength = -1;

    private static AsciiString[] names(String... names) {
        AsciiString[] ascii = new AsciiString[names.length];
        for (int i = 0; i < names.length; i++) {
            ascii[i] = AsciiString.cached(names[i]);
        }
        return ascii;
    }

    ResponseRelay(Exchange exchange, UpstreamExchange upstream, ResponseTap tap, Consumer<Outcome> onEnd) {
        this.exchange = exchange;
        this.upstream = upstream;
        this.tap = tap;
        this.onEnd = onEnd;
        this.client = exchange.response();
    }

    void start() {
        String contentType = upstream.header(HttpHeaderNames.CONTENT_TYPE);
        stream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        client.setStatusCode(upstream.status());
        for (AsciiString name : FORWARDED_HEADERS) {
            String value = upstream.header(name); // single-valued headers; the lookup ignores case
            if (value != null) {
                client.putHeader(name, value);
            }
        }
        if (stream) {
            client.setChunked(true);
            client.putHeader("X-Accel-Buffering", "no");
            framer = new SseFramer(MAX_SSE_EVENT, this::onEvent);
            batchReads();
        } else {
            rewriter = tap.rewriter();
            if (rewriter != null) {
                held = Buffer.buffer();
            } else {
                relayAsItComes();
            }
        }
        upstream.handler(this::onChunk);
        upstream.exceptionHandler(this::onUpstreamFailure);
        upstream.endHandler(v -> onUpstreamEnd());
    }

    /** What one upstream read brings goes to the client in one write when the read is complete ({@link ReadBatch}). */
    private void batchReads() {
        batch = new ReadBatch(this::sendBatch);
        upstream.readCompleteHandler(v -> batch.flush());
    }

    /**
     * Relays a non-streamed answer read by read. An answer whose end comes in the read of its last bytes (most:
     * a small answer is one read) then goes out with the end of the response, head, body and end in one write.
     */
    private void relayAsItComes() {
        batchReads();
        String length = upstream.header(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            client.putHeader("Content-Length", length);
            try {
                promisedLength = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                promisedLength = -1; // the client and the upstream's framing judge it; nothing to compare with
            }
        } else {
            client.setChunked(true);
        }
    }

    private void onChunk(Buffer chunk) {
        if (ended) {
            return;
        }
        if (stream) {
            // The framer copies what it keeps, so a scratch array serves here too.
            byte[] bytes = Scratch.copyOf(chunk);
            try {
                framer.feed(bytes, 0, chunk.length());
            } catch (SseException e) {
                onUpstreamFailure(e);
                return;
            }
        } else {
            // Taps read the bytes during the call and keep none of them, so a scratch array serves.
            byte[] bytes = Scratch.copyOf(chunk);
            tap.onBytes(bytes, 0, chunk.length());
            if (held != null) {
                hold(chunk);
            } else {
                collect(chunk);
            }
        }
        pauseWhileClientFull();
    }

    private void pauseWhileClientFull() {
        if (client.writeQueueFull()) {
            upstream.pause();
            client.drainHandler(v -> upstream.resume());
        }
    }

    /** Holds a chunk for the rewriter; past its limit, relays what it held and the rest as it comes. */
    private void hold(Buffer chunk) {
        held.appendBuffer(chunk);
        if (held.length() > rewriter.maxBytes()) {
            Buffer sofar = held;
            held = null;
            relayAsItComes();
            collect(sofar);
        }
    }

    private void onEvent(SseEvent event) {
        if (tap.onEvent(event)) {
            byte[] rendered = tap.render(event);
            if (rendered.length == 0) {
                return;
            }
            if (!headWritten) {
                // the head and the first event at once: the time to first byte stays short
                write(Buffers.wrap(rendered));
            } else {
                collect(Buffers.wrap(rendered));
            }
        }
    }

    /** Adds bytes for the client to this read's batch: delivered once they are collected. */
    private void collect(Buffer bytes) {
        delivered += bytes.length();
        batch.add(bytes);
    }

    /** Writes a batch at the end of an upstream read. */
    private void sendBatch(Buffer events) {
        if (client.ended()) {
            return;
        }
        send(events);
        pauseWhileClientFull();
    }

    private void write(Buffer buffer) {
        delivered += buffer.length();
        send(buffer);
    }

    private void send(Buffer buffer) {
        headWritten(); // recorded first: once written, the client may already be reading the figures
        client.write(buffer);
    }

    /** The client's head goes out with the first write (or the end): Antler's response overhead ends there. */
    private void headWritten() {
        if (!headWritten) {
            headWritten = true;
            RelayOverhead.RESPONSE.recordNanos(System.nanoTime() - upstreamHeadNanos);
        }
    }

    private void onUpstreamEnd() {
        upstreamDone = true;
        if (ended) {
            return;
        }
        Buffer last;
        if (stream) {
            if (framer.hasPartialEvent() && !framer.partialEventIsUtf8()) {
                // Cut inside a character: the tail is no event, and the stream did not end as the upstream meant.
                onUpstreamFailure(new SseException("sse stream: ends inside a UTF-8 character (expected: whole events)"));
                return;
            }
            if (framer.hasPartialEvent()) {
                // The upstream ended without the blank line after its last event: complete it rather
                // than drop it, so the client and the tap both see it.
                byte[] terminator = {'\n', '\n'};
                framer.feed(terminator, 0, terminator.length);
            }
            framer.finish();
            // The last events go out with the end of the response, in one write.
            last = batch.take();
        } else {
            last = batch == null ? null : batch.take(); // the last read's bytes, sent with the end
        }
        if (held != null) {
            byte[] original = held.getBytes();
            held = null;
            rewritten(original).otherwise(original).onSuccess(answer -> {
                if (!ended) {
                    client.putHeader("Content-Length", Integer.toString(answer.length));
                    headWritten = true; // a rewrite (result mirroring) is work asked for, not relay overhead
                    delivered += answer.length;
                    finish(EndReason.COMPLETE, upstream.status(), null, () -> endClient(Buffers.wrap(answer)));
                }
            });
            return;
        }
        Buffer lastBytes = last;
        meter(metered -> {
            Buffer end = stream ? withTail(lastBytes, tap.renderEnd(metered)) : lastBytes;
            report(EndReason.COMPLETE, upstream.status(), null, metered);
            endClient(end);
        });
    }

    /** {@code events} and then the bytes a translating tap renders to close the client's stream. */
    private Buffer withTail(Buffer events, byte[] tail) {
        if (tail.length == 0) {
            return events;
        }
        delivered += tail.length;
        return events == null ? Buffers.wrap(tail) : Buffer.buffer().appendBuffer(events).appendBytes(tail);
    }

    /** Ends the client's response with {@code last} (or nothing), unless the client left while metering ran. */
    private void endClient(Buffer last) {
        if (client.closed()) {
            return;
        }
        headWritten();
        if (last != null) {
            client.end(last);
        } else {
            client.end();
        }
    }

    /**
     * The rewriter's answer, completing on this relay's context: at once when the rewriter answered at once
     * (a translation), else from the thread that completed it (a download) through the context.
     */
    private Future<byte[]> rewritten(byte[] original) {
        Context context = Vertx.currentContext();
        Promise<byte[]> answer = Promise.promise();
        try {
            rewriter.rewrite(original).whenComplete((bytes, failure) -> {
                if (context == null || Vertx.currentContext() == context) {
                    complete(answer, bytes, failure);
                } else {
                    context.runOnContext(v -> complete(answer, bytes, failure));
                }
            });
        } catch (RuntimeException e) {
            answer.fail(e);
        }
        return answer.future();
    }

    private static void complete(Promise<byte[]> answer, byte[] bytes, Throwable failure) {
        if (failure != null || bytes == null) {
            answer.fail(failure != null ? failure : new IllegalStateException("rewriter: no answer"));
        } else {
            answer.complete(bytes);
        }
    }

    private void onUpstreamFailure(Throwable failure) {
        if (ended) {
            return;
        }
        boolean timeout = failure.getClass().getSimpleName().contains("Timeout");
        EndReason reason = timeout ? EndReason.TIMEOUT : EndReason.UPSTREAM_CUT;
        GatewayException error = new GatewayException(timeout ? 504 : 502, ErrorKind.UPSTREAM,
                timeout ? "upstream_timeout" : "upstream_cut",
                timeout ? "the upstream stopped sending before the answer was complete"
                        : "the upstream connection broke before the answer was complete");
        if (stream && client.closed()) {
            batch.discard();
        } else if (stream) {
            batch.flush(); // the events that arrived go out before the error event
        }
        finish(reason, error.status(), error.getMessage(), () -> {
            if (stream && !client.closed()) {
                // After the upstream's own last event the client holds a complete answer: no error event after it.
                client.end(tap.streamEndRendered() ? Buffer.buffer()
                        : exchange.errors().renderStreamEvent(error, exchange.requestId()));
            } else {
                // A non-streamed body cannot carry an error once started: cut the client connection so a
                // truncated body is never taken for a complete one.
                client.reset();
            }
        });
    }

    /** The attempt's total or idle timeout passed during the answer: end it as a timeout and stop the upstream. */
    void timeout() {
        if (ended || upstreamDone) {
            return;
        }
        onUpstreamFailure(new java.util.concurrent.TimeoutException("total timeout"));
        upstream.reset();
    }

    /**
     * The client disconnected: stop the upstream and bill what was delivered. A client that closes as soon as it
     * read the answer's last byte (all the promised Content-Length, or the stream's own end event) may be seen to
     * go before the upstream's end arrives (the upstream's end of a stream is often its own read, a turn later):
     * that answer was delivered whole, and ends complete.
     */
    void clientGone() {
        if (ended) {
            return;
        }
        if (deliveredWhole()) {
            finish(EndReason.COMPLETE, upstream.status(), null, () -> {
                if (!upstreamDone) {
                    upstream.reset(); // the rest of the upstream's answer has no reader
                }
            });
            return;
        }
        if (stream) {
            batch.discard();
        }
        // Settle first: resetting the upstream fires its exception handler, which must not report a cut.
        finish(EndReason.CLIENT_GONE, 499, "client closed the connection during the answer",
                () -> upstream.reset());
    }

    /** Whether the client was sent every byte of the answer: nothing is left to send but the end of the response. */
    private boolean deliveredWhole() {
        if (stream) {
            // the end event was written, not only collected for this turn's batch
            return tap.streamEndRendered() && batch.isEmpty();
        }
        return held == null && batch.isEmpty() && promisedLength >= 0 && delivered == promisedLength;
    }

    /** Ends the relay: reports the outcome with what the tap metered, then runs {@code then}. */
    private void finish(EndReason endReason, int status, String error, Runnable then) {
        meter(metered -> {
            report(endReason, status, error, metered);
            then.run();
        });
    }

    /**
     * Ends the relay and hands on what the tap metered, on this relay's context. A tap that counts tokens is
     * metered off the event loop: the loop serves others meanwhile, and this relay, ended, ignores what arrives.
     */
    private void meter(Consumer<ResponseTap.Metered> next) {
        ended = true;
        if (!tap.meterMayCount()) {
            next.accept(tap.meter());
            return;
        }
        TokenCounting.offEventLoop(tap::meter).onComplete(metered -> {
            if (metered.failed()) {
                log.error("metering the answer failed; billed nothing for it", metered.cause());
            }
            next.accept(metered.succeeded() ? metered.result() : new ResponseTap.Metered(Usage.NONE, "none"));
        });
    }

    private void report(EndReason endReason, int status, String error, ResponseTap.Metered metered) {
        onEnd.accept(new Outcome(endReason, status, delivered, metered, error));
    }

    /**
     * A per-thread array that a chunk is copied into for the tap, instead of a new array per chunk (Netty's
     * thread-local: an index on the event loop's threads, not a hash lookup).
     */
    private static final class Scratch {

        private static final int KEPT_BYTES = 64 * 1024;
        private static final FastThreadLocal<byte[]> ARRAY = new FastThreadLocal<>() {
            @Override
            protected byte[] initialValue() {
                return new byte[KEPT_BYTES];
            }
        };

        static byte[] copyOf(Buffer chunk) {
            int length = chunk.length();
            byte[] array = length <= KEPT_BYTES ? ARRAY.get() : new byte[length];
            chunk.getBytes(0, length, array, 0);
            return array;
        }
    }

    /** How a relayed answer ended and what the tap metered. */
    record Outcome(EndReason endReason, int status, long bytesDelivered, ResponseTap.Metered metered, String error) {}

}

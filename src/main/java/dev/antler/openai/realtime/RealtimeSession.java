package dev.antler.openai.realtime;

import dev.antler.accounts.Principal;
import dev.antler.billing.Hold;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.limits.Admission;
import dev.antler.relay.RelayServices;
import dev.antler.routing.Channel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One open realtime session: frames relayed both ways as they come (a side that writes slower than the other
 * reads pauses the reader), every upstream {@code response.done} priced and settled at once — its hold replaced
 * by its cost, a usage row and a ledger row queued — and a new hold taken for the next response. When that hold
 * cannot be had, the client gets an {@code error} event and the session closes. When the session ends, a row
 * with no usage and no charge records why ({@link SessionEnd}), the session's totals in its note (its responses'
 * rows carry the tokens, so sums over the log count them once).
 */
final class RealtimeSession {

    private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);
    /** Upstream text messages longer than this are relayed but not read for usage (audio deltas, say). */
    private static final int SCAN_LIMIT = 1 << 20;
    static final long CANCEL_WAIT_MS = 5_000;
    private static final byte[] RESPONSE_DONE = "\"response.done\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE_CREATED = "\"response.created\"".getBytes(StandardCharsets.US_ASCII);

    private final RealtimeOpening opening;
    private final RelayServices services;
    private final Principal principal;
    private final Channel channel;
    private final RealtimeMeter meter;
    private final ServerWebSocket client;
    private final WebSocket upstream;
    private final RealtimeTimeouts timeouts;
    private Hold hold;
    private Admission admission;
    private Buffer message;
    private boolean scanning;
    private int responses;
    private int open;
    private Usage total = Usage.NONE;
    private long totalCost;
    private long lastActivityNanos = System.nanoTime();
    private final long startNanos = System.nanoTime();
    private long timer = -1;
    private long pinger = -1;
    private SessionEnd ended;
    /** The client has gone during a response, whose usage is awaited. */
    private boolean clientLeft;
    private long cancelWait = -1;
    /** Why the next response cannot be held for, once the last one spent the money. */
    private String outOfMoney;

    RealtimeSession(RealtimeOpening opening, ServerWebSocket client, WebSocket upstream) {
        this.opening = opening;
        this.services = opening.services();
        this.principal = opening.principal();
        this.channel = opening.channel();
        this.meter = opening.meter();
        this.hold = opening.hold();
        this.admission = opening.admission();
        this.timeouts = opening.timeouts();
        this.client = client;
        this.upstream = upstream;
    }

    void start() {
        services.metrics().sessionOpened();
        relay(client, upstream, false);
        relay(upstream, client, true);
        client.closeHandler(v -> {
            if (open > 0 && !upstream.isClosed()) {
                awaitCancelled();
            } else {
                Short code = client.closeStatusCode();
                // With no response under way nothing was cut short, however the client closed (the SDKs often drop
                // the connection without a close frame).
                end(open == 0 ? SessionEnd.COMPLETE : SessionEnd.CLIENT_GONE, normal(code) ? null
                        : "the client left " + (code == null || code == 1006 ? "without a close frame"
                        : "with close code " + code));
            }
        });
        client.exceptionHandler(e -> log.debug("realtime client: {}", e.toString()));
        upstream.exceptionHandler(e -> log.debug("realtime upstream: {}", e.toString()));
        upstream.closeHandler(v -> {
            if (clientLeft) {
                end(SessionEnd.CLIENT_GONE, "the upstream closed before the unfinished response reported its usage");
                return;
            }
            Short code = upstream.closeStatusCode();
            boolean clean = normal(code) && open == 0;
            end(clean ? SessionEnd.COMPLETE : SessionEnd.UPSTREAM_CUT, clean ? null
                    : "upstream closed the session" + (code == null ? " without a close frame" : " with " + code)
                    + (open > 0 ? " during a response" : ""));
        });
        long tick = Math.max(20, Math.min(1_000, timeouts.idleMs() / 10));
        timer = services.vertx().setPeriodic(tick, id -> checkTime());
        pinger = services.vertx().setPeriodic(timeouts.pingMs(), id -> {
            if (!client.isClosed()) {
                client.writePing(Buffer.buffer());
            }
        });
    }

    /** Each data frame of {@code from} written to {@code to}, {@code from} paused while {@code to} is full. */
    private void relay(WebSocketBase from, WebSocketBase to, boolean fromUpstream) {
        from.frameHandler(frame -> {
            if (ended != null || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
                return;
            }
            lastActivityNanos = System.nanoTime();
            if (fromUpstream) {
                scan(frame);
                if (clientLeft) {
                    if (open == 0) {
                        end(SessionEnd.CLIENT_GONE, null); // the cancelled responses are settled
                    }
                    return;
                }
            }
            to.writeFrame(frame);
            if (outOfMoney != null) {
                end(SessionEnd.BALANCE, outOfMoney); // after the response.done that spent it
                return;
            }
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
    }

    /**
     * The client left during a response: the upstream is asked to cancel it, and its {@code response.done} (which
     * reports what it used until then) is awaited for up to {@link #CANCEL_WAIT_MS}, so that the tokens the upstream
     * bills for are billed to the client too.
     */
    private void awaitCancelled() {
        clientLeft = true;
        upstream.resume();
        upstream.writeTextMessage("{\"type\":\"response.cancel\"}");
        cancelWait = services.vertx().setTimer(CANCEL_WAIT_MS, id -> end(SessionEnd.CLIENT_GONE,
                "the cancelled response reported no usage within " + CANCEL_WAIT_MS + " ms"));
    }

    /** Reads the upstream's text messages for the start and end of each response. */
    private void scan(WebSocketFrame frame) {
        if (!frame.isContinuation()) {
            scanning = frame.isText();
            message = null;
        }
        if (!scanning) {
            return;
        }
        Buffer data = frame.binaryData();
        if (frame.isFinal() && message == null) {
            message = data;
        } else {
            message = (message == null ? Buffer.buffer() : message).appendBuffer(data);
            if (message.length() > SCAN_LIMIT) {
                scanning = false;
                message = null;
                return;
            }
        }
        if (!frame.isFinal()) {
            return;
        }
        byte[] bytes = message.getBytes();
        message = null;
        if (contains(bytes, RESPONSE_CREATED)) {
            ObjectNode event = Json.objectOrNull(bytes);
            if (event != null && "response.created".equals(event.path("type").asString(""))) {
                open++;
            }
        } else if (contains(bytes, RESPONSE_DONE)) {
            ObjectNode event = Json.objectOrNull(bytes);
            if (event != null && "response.done".equals(event.path("type").asString(""))) {
                open = Math.max(0, open - 1);
                onResponseDone(event);
            }
        }
    }

    /** Settles one response on its usage, then holds for the next one — or ends the session for want of money. */
    private void onResponseDone(ObjectNode event) {
        RealtimeMeter.Metered metered = meter.meter(event.path("response").path("usage"));
        responses++;
        services.balances().settle(hold, metered.costNanos());
        total = plus(total, metered.usage());
        totalCost = Math.addExact(totalCost, metered.costNanos());
        services.ledger().settle(record(opening.requestId() + "." + responses, 200, metered.usage(),
                metered.costNanos(), "complete", "reported", null));
        try {
            hold = services.balances().hold(principal.user(), principal.key(), meter.holdAmount());
        } catch (GatewayException refused) {
            hold = null;
            outOfMoney = refused.getMessage();
        }
    }

    private void checkTime() {
        if (ended != null) {
            return;
        }
        long now = System.nanoTime();
        if ((now - lastActivityNanos) / 1_000_000 >= timeouts.idleMs()) {
            end(SessionEnd.TIMEOUT, "no frame either way for " + timeouts.idleMs() + " ms");
        } else if ((now - startNanos) / 1_000_000 >= timeouts.maxSessionMs()) {
            end(SessionEnd.TIMEOUT, "the session reached its maximum length of " + timeouts.maxSessionMs() + " ms");
        }
    }

    /**
     * Ends the session once: the client told why unless it left or the upstream ended cleanly, both sockets closed,
     * the open hold released, the limits told the session's spend and the closing row queued.
     */
    private void end(SessionEnd reason, String why) {
        if (ended != null) {
            return;
        }
        ended = reason;
        services.metrics().sessionEnded(reason.logName());
        services.vertx().cancelTimer(timer);
        services.vertx().cancelTimer(pinger);
        services.vertx().cancelTimer(cancelWait);
        if (hold != null) {
            services.balances().settle(hold, 0);
        }
        admission.settle(totalCost, total);
        if (!client.isClosed()) {
            if (reason.clientTold()) {
                client.writeFinalTextFrame(RealtimeErrors.event(reason.code(), reason.message(why)));
            }
            client.close((short) 1000, reason.logName());
        }
        if (!upstream.isClosed()) {
            upstream.close((short) 1000);
        }
        String note = why;
        services.ledger().settle(record(opening.requestId(), reason.status(), Usage.NONE, 0, reason.logName(), "none",
                summary(note)));
    }

    private String summary(String why) {
        String totals = "session: " + responses + " responses, " + total.promptTokens() + " input tokens ("
                + total.cachedTokens() + " cached), " + total.completionTokens() + " output tokens, "
                + dev.antler.billing.Usd.format(totalCost) + " USD";
        return why == null ? totals : why + "; " + totals;
    }

    private UsageRecord record(String requestId, int status, Usage usage, long cost, String endReason, String basis,
                               String note) {
        return new UsageRecord(requestId, services.clock().millis(), principal.user().id(), principal.key().id(),
                opening.endpoint(), opening.model(), channel.upstreamModel(opening.model()), channel.id(), status, true,
                usage, cost, (System.nanoTime() - startNanos) / 1_000_000, opening.connectMs(), endReason, basis,
                opening.attempts().size(), note, opening.attempts().json());
    }

    /** A close frame saying the session is over (not 1006, which stands for no close frame at all). */
    private static boolean normal(Short code) {
        return code != null && (code == 1000 || code == 1001);
    }

    private static Usage plus(Usage a, Usage b) {
        return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
                a.cachedTokens() + b.cachedTokens(), 0, 0, 0);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

package dev.antler.openai.realtime;

import dev.antler.core.GatewayException;
import dev.antler.relay.RelayServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One open realtime session: frames relayed both ways as they come (a side that writes slower than the other
 * reads pauses the reader). Before each response starts — the client's {@code response.create}, or a response the
 * upstream began on its own — the {@link ResponseGate} is asked; every upstream {@code response.done} is settled at
 * once by the {@link SessionAccount}, which holds for the next response. A refusal for want of money, or because
 * charges cannot be recorded, ends the session with an {@code error} event; a rate limit refuses that response only.
 * When the session ends, a row with no usage and no charge records why ({@link SessionEnd}), the session's totals in
 * its note (its responses' rows carry the tokens, so sums over the log count them once). Events pass unchanged,
 * their {@code event_id}s too.
 */
final class RealtimeSession {

    private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);
    static final long CANCEL_WAIT_MS = 5_000;
    private static final String CANCEL = "{\"type\":\"response.cancel\"}";

    private final RelayServices services;
    private final ServerWebSocket client;
    private final WebSocket upstream;
    private final RealtimeTimeouts timeouts;
    private final ResponseGate gate;
    private final SessionAccount account;
    private final EventScanner fromClient = new EventScanner(EventScanner.CLIENT_LIMIT, "response.create");
    private final EventScanner fromUpstream = new EventScanner(EventScanner.UPSTREAM_LIMIT, "response.created",
            "response.done");
    private int open;
    /**
     * Client {@code response.create}s let through whose {@code response.created} has not come yet: a response the
     * upstream starts with none of these pending began on its own and is checked then.
     */
    private int approved;
    private long lastActivityNanos = System.nanoTime();
    private final long startNanos = System.nanoTime();
    private long timer = -1;
    private long pinger = -1;
    private SessionEnd ended;
    /** The client has gone during a response, whose usage is awaited. */
    private boolean clientLeft;
    private long cancelWait = -1;
    /** Ends the session once the frame being relayed is written (the response.done that spent the money, say). */
    private GatewayException stopAfterFrame;
    /** A response the upstream began on its own was refused and cancelled: the session ends after its response.done. */
    private GatewayException stopAfterDone;
    /** An error event for the client, written after the frame being relayed. */
    private String notice;

    RealtimeSession(RealtimeOpening opening, ServerWebSocket client, WebSocket upstream) {
        this.services = opening.services();
        this.timeouts = opening.timeouts();
        this.gate = new ResponseGate(services, opening.principal(), opening.admission());
        this.account = new SessionAccount(opening, startNanos);
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
                ObjectNode event = this.fromUpstream.accept(frame);
                if (event != null) {
                    onUpstreamEvent(event);
                }
                if (clientLeft) {
                    if (open == 0) {
                        end(SessionEnd.CLIENT_GONE, null); // the cancelled responses are settled
                    }
                    return;
                }
            } else if (fromClient.accept(frame) != null && !admitClientResponse()) {
                return; // a refused response.create is not relayed
            }
            to.writeFrame(frame);
            if (notice != null) {
                client.writeTextMessage(notice);
                notice = null;
            }
            if (stopAfterFrame != null) {
                end(stopAfterFrame);
                return;
            }
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
    }

    /** Whether the client's {@code response.create} may go upstream; when not, the client is told (and may be gone). */
    private boolean admitClientResponse() {
        GatewayException refusal = gate.refusal();
        if (refusal == null) {
            approved++;
            return true;
        }
        if (ResponseGate.endFor(refusal) == null) {
            client.writeTextMessage(RealtimeErrors.event(refusal));
        } else {
            end(refusal);
        }
        return false;
    }

    private void onUpstreamEvent(ObjectNode event) {
        if (EventScanner.type(event).equals("response.created")) {
            open++;
            if (approved > 0) {
                approved--;
            } else if (!clientLeft && stopAfterDone == null) {
                refuseUnasked(gate.refusal());
            }
        } else {
            open = Math.max(0, open - 1);
            GatewayException refused = account.settle(event.path("response").path("usage"));
            if (refused != null && !clientLeft) {
                stopAfterFrame = refused; // the client gets the response.done that spent the money, then the refusal
            }
            if (stopAfterDone != null && open == 0 && stopAfterFrame == null) {
                stopAfterFrame = stopAfterDone;
            }
        }
    }

    /**
     * A response the upstream began on its own (voice activity detection) that the gate refuses: cancelled
     * upstream and the client told; when the refusal ends the session, it ends after that response's
     * {@code response.done} (billed on its usage), or after {@link #CANCEL_WAIT_MS} without one.
     */
    private void refuseUnasked(GatewayException refusal) {
        if (refusal == null) {
            return;
        }
        upstream.writeTextMessage(CANCEL);
        if (ResponseGate.endFor(refusal) == null) {
            notice = RealtimeErrors.event(refusal);
            return;
        }
        stopAfterDone = refusal; // the client is told as the session ends
        cancelWait = services.vertx().setTimer(CANCEL_WAIT_MS, id -> end(refusal));
    }

    /**
     * The client left during a response: the upstream is asked to cancel it, and its {@code response.done} (which
     * reports what it used until then) is awaited for up to {@link #CANCEL_WAIT_MS}, so that the tokens the upstream
     * bills for are billed to the client too.
     */
    private void awaitCancelled() {
        clientLeft = true;
        upstream.resume();
        upstream.writeTextMessage(CANCEL);
        services.vertx().cancelTimer(cancelWait);
        cancelWait = services.vertx().setTimer(CANCEL_WAIT_MS, id -> end(SessionEnd.CLIENT_GONE,
                "the cancelled response reported no usage within " + CANCEL_WAIT_MS + " ms"));
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

    /** Ends the session for a refusal of the gateway, which the client is sent as an {@code error} event. */
    private void end(GatewayException refusal) {
        SessionEnd reason = ResponseGate.endFor(refusal);
        end(reason == null ? SessionEnd.ERROR : reason, refusal.getMessage(), RealtimeErrors.event(refusal));
    }

    private void end(SessionEnd reason, String why) {
        end(reason, why, reason.notice(why));
    }

    /**
     * Ends the session once: the open hold released, the limits told the session is over and the closing row queued
     * ({@link SessionAccount#close}), the client sent {@code notice} (unless none) and both sockets closed.
     */
    private void end(SessionEnd reason, String why, String notice) {
        if (ended != null) {
            return;
        }
        ended = reason;
        services.metrics().sessionEnded(reason.logName());
        services.vertx().cancelTimer(timer);
        services.vertx().cancelTimer(pinger);
        services.vertx().cancelTimer(cancelWait);
        account.close(reason, why);
        if (!client.isClosed()) {
            if (notice != null) {
                client.writeFinalTextFrame(notice);
            }
            client.close((short) 1000, reason.logName());
        }
        if (!upstream.isClosed()) {
            upstream.close((short) 1000);
        }
    }

    /** A close frame saying the session is over (not 1006, which stands for no close frame at all). */
    private static boolean normal(Short code) {
        return code != null && (code == 1000 || code == 1001);
    }
}

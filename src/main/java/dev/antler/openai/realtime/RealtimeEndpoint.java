package dev.antler.openai.realtime;

import dev.antler.accounts.Principal;
import dev.antler.billing.Hold;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.Exchange;
import dev.antler.limits.Admission;
import dev.antler.relay.AttemptLog;
import dev.antler.relay.RecordedHold;
import dev.antler.relay.Relay;
import dev.antler.relay.RelayServices;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelPlan;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/realtime?model=…}: checked and paid for before the upgrade — a WebSocket request (else 426), a key
 * (else 401), a model the key may use and an openai channel serves (else 403, 404), its prices (else 503) and the
 * first response's hold (else 403) — then the upstream socket opened on the planned channels in order, the next
 * one tried when one cannot be opened, and only then the client's upgrade accepted and the session started.
 */
public final class RealtimeEndpoint {

    public static final String PATH = "/v1/realtime";
    static final String ENDPOINT = "realtime";
    /** Frames as large as OpenAI accepts (an audio append of up to 15 MiB), on both sockets. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RealtimeEndpoint.class);
    private static final Set<String> CHANNEL_TYPES = Set.of("openai");
    /**
     * Upstream sessions open at once to one host. Vert.x's WebSocket client allows 50 unless told otherwise, which
     * would queue every session past the 50th to a provider; sessions are bounded by the keys' limits and balances.
     */
    static final int MAX_SESSIONS_PER_HOST = 100_000;

    private final Relay relay;
    private final RelayServices services;
    private final WebSocketClient sockets;
    private final RealtimeSecrets secrets;

    public RealtimeEndpoint(Relay relay, RealtimeSecrets secrets) {
        this.relay = relay;
        this.services = relay.services();
        this.secrets = secrets;
        this.sockets = services.vertx().createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_FRAME).setMaxMessageSize(MAX_FRAME).setTryUsePerMessageCompression(false)
                .setMaxConnections(MAX_SESSIONS_PER_HOST));
    }

    public void handle(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        if (!request.canUpgradeToWebSocket()) {
            exchange.response().putHeader("Upgrade", "websocket");
            exchange.fail(new GatewayException(426, ErrorKind.INVALID_REQUEST, "upgrade_required",
                    "GET " + PATH + " is a WebSocket (expected: Connection: Upgrade and Upgrade: websocket)"));
            return;
        }
        String model = request.getParam("model");
        if (model == null || model.isBlank()) {
            exchange.fail(GatewayException.badRequest("missing_model",
                    "model: missing (expected: ?model=<a realtime model>, e.g. gpt-realtime)"));
            return;
        }
        request.pause();
        String presented = RealtimeKeys.presented(request);
        Future<Principal> principal = secrets.isEphemeral(presented) ? secrets.redeem(presented, model.strip())
                : relay.authenticate(presented);
        principal.onSuccess(p -> open(exchange, p, model.strip())).onFailure(exchange::fail);
    }

    private void open(Exchange exchange, Principal principal, String model) {
        Admission admission = null;
        try {
            if (!principal.key().allows(model)) {
                throw GatewayException.forbidden("model_not_allowed", "model: " + model
                        + " (expected: one of the models this key may use: "
                        + String.join(", ", principal.key().allowedModels()) + ")");
            }
            List<List<Channel>> tiers = services.channels().tiers(principal.user().group(), model, CHANNEL_TYPES);
            if (tiers.isEmpty()) {
                throw GatewayException.notFound("model_not_found", "model: " + model + " (expected: a realtime model"
                        + " served to group '" + principal.user().group() + "'; GET /v1/models lists what this key"
                        + " can use)");
            }
            RealtimeMeter meter = new RealtimeMeter(price(model), price(RealtimePrices.audioKey(model)),
                    principal.group().multiplierPpm());
            long holdAmount = meter.holdAmount();
            admission = services.limits().limiter().admit(principal, 0, holdAmount);
            Admission admitted = admission;
            admission.confirmed().onComplete(confirmed -> {
                if (confirmed.failed()) {
                    exchange.fail(confirmed.cause());
                } else {
                    connect(exchange, principal, model, meter, tiers, admitted);
                }
            });
        } catch (RuntimeException e) {
            if (admission != null) {
                admission.cancel();
            }
            exchange.fail(e);
        }
    }

    /** Holds the money of an admitted session and tries its channels. */
    private void connect(Exchange exchange, Principal principal, String model, RealtimeMeter meter,
                         List<List<Channel>> tiers, Admission admission) {
        Hold hold = null;
        try {
            hold = services.balances().hold(principal.user(), principal.key(), meter.holdAmount());
            Hold held = hold;
            List<Channel> plan = ChannelPlan.order(tiers, services.random(), Integer.MAX_VALUE);
            // With other instances live, the session's hold is recorded for them under the session's request id for
            // its whole life (every response's hold is the same amount): its closing row releases it.
            RecordedHold.then(services, held, exchange.requestId(),
                    () -> new Attempt(exchange, principal, model, meter, held, admission, plan).next(null),
                    refusal -> refuse(exchange, held, admission, refusal));
        } catch (RuntimeException e) {
            refuse(exchange, hold, admission, e);
        }
    }

    private void refuse(Exchange exchange, Hold hold, Admission admission, RuntimeException refusal) {
        if (hold != null) {
            services.balances().settle(hold, 0);
        }
        admission.cancel();
        exchange.fail(refusal);
    }

    private Price price(String key) {
        return services.prices().find(key).orElseThrow(() -> new GatewayException(503, ErrorKind.NO_CHANNEL,
                "model_not_priced", "price: " + key + " has no price set (expected: the operator to set one; a"
                + " realtime model needs its text price and its " + RealtimePrices.AUDIO_SUFFIX + " price)"));
    }

    /** The upstream socket's address and headers on {@code channel}: the channel's key, never the client's. */
    private static WebSocketConnectOptions target(Channel channel, String model, HttpServerRequest request) {
        URI url = URI.create(channel.url(PATH + "?model="
                + URLEncoder.encode(channel.upstreamModel(model), StandardCharsets.UTF_8)));
        boolean ssl = "https".equalsIgnoreCase(url.getScheme()) || "wss".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() >= 0 ? url.getPort() : ssl ? 443 : 80;
        UpstreamAuth auth = UpstreamAuth.bearer();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(url.getHost()).setPort(port).setSsl(ssl).setURI(url.getRawPath() + "?" + url.getRawQuery())
                .setConnectTimeout(channel.timeouts().connect())
                .putHeader(auth.name(), auth.value(channel));
        options.setTimeout(channel.timeouts().connect() * 2);
        String beta = RealtimeKeys.beta(request);
        if (beta != null) {
            options.putHeader("OpenAI-Beta", beta);
        }
        return options;
    }

    /** The channels tried in turn until one opens its socket; the client's upgrade accepted on the first that does. */
    private final class Attempt {

        private final Exchange exchange;
        private final Principal principal;
        private final String model;
        private final RealtimeMeter meter;
        private final Hold hold;
        private final Admission admission;
        private final List<Channel> plan;
        private final AttemptLog attempts = new AttemptLog();
        private int next;
        private Channel last;

        Attempt(Exchange exchange, Principal principal, String model, RealtimeMeter meter, Hold hold,
                Admission admission, List<Channel> plan) {
            this.exchange = exchange;
            this.principal = principal;
            this.model = model;
            this.meter = meter;
            this.hold = hold;
            this.admission = admission;
            this.plan = plan;
        }

        void next(GatewayException lastFailure) {
            Channel channel = null;
            while (channel == null && attempts.size() < services.maxAttempts() && next < plan.size()) {
                Channel candidate = plan.get(next++);
                if (services.channels().health().tryAcquire(candidate)) {
                    channel = candidate;
                }
            }
            if (channel == null || exchange.response().closed()) {
                fail(lastFailure != null ? lastFailure : new GatewayException(503, ErrorKind.NO_CHANNEL,
                        "no_channel_available", "no channel for model " + model + " is healthy now (expected: one"
                        + " to recover; try again shortly)"));
                return;
            }
            Channel tried = channel;
            last = channel;
            long started = exchange.elapsedMillis();
            WebSocketConnectOptions options;
            try {
                options = target(channel, model, exchange.request());
            } catch (IllegalArgumentException e) {
                onFailure(tried, started, "base_url: not a URL (" + e.getMessage() + ")");
                return;
            }
            sockets.connect(options).onComplete(result -> {
                if (result.succeeded()) {
                    services.channels().health().onSuccess(tried);
                    attempts.add(tried, 101, null, exchange.elapsedMillis() - started);
                    accept(tried, result.result(), exchange.elapsedMillis());
                } else {
                    onFailure(tried, started, result.cause().getMessage());
                }
            });
        }

        private void onFailure(Channel tried, long started, String why) {
            log.debug("realtime socket on {} failed: {}", tried.name(), why);
            services.channels().health().onFailure(tried);
            attempts.add(tried, 0, why, exchange.elapsedMillis() - started);
            next(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unavailable",
                    "the upstream realtime socket could not be opened (expected: a reachable channel)"));
        }

        private void accept(Channel channel, WebSocket upstream, long connectMs) {
            if (exchange.response().closed()) {
                upstream.close();
                fail(null);
                return;
            }
            upstream.pause();
            exchange.request().toWebSocket().onComplete(upgrade -> {
                if (upgrade.failed()) {
                    upstream.close();
                    fail(null);
                    return;
                }
                RealtimeOpening opening = new RealtimeOpening(services, exchange.requestId(), ENDPOINT, model,
                        principal, channel, meter, hold, admission, RealtimeTimeouts.of(channel), attempts, connectMs);
                new RealtimeSession(opening, upgrade.result(), upstream).start();
                upstream.resume();
            });
        }

        /** No session: the hold released, the limits told, a row saying why, and (if any) the error answered. */
        private void fail(GatewayException error) {
            services.balances().settle(hold, 0);
            admission.settle(0, Usage.NONE);
            int status = error == null ? 499 : error.status();
            services.ledger().settle(new UsageRecord(exchange.requestId(), services.clock().millis(),
                    principal.user().id(), principal.key().id(), ENDPOINT, model,
                    last == null ? null : last.upstreamModel(model), last == null ? null : last.id(), status, true,
                    Usage.NONE, 0, exchange.elapsedMillis(), null, error == null ? "client_gone" : "error", "none",
                    attempts.size(), error == null ? "client left before the session opened" : error.getMessage(),
                    attempts.json()));
            if (error != null) {
                exchange.fail(error);
            }
        }
    }
}

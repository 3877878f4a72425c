package dev.antler.replicate;

import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.health.ProbeRequest;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.relay.Relay;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Replicate's predictions API under {@code /replicate} (as DeerAPI serves it), answered in Replicate's own shapes with
 * the gateway's ids and links:
 * <pre>
 *   POST /replicate/v1/models/{owner}/{name}/predictions   a prediction of a model's latest version
 *   POST /replicate/v1/predictions                         a prediction of {@code version} ({@link ReplicateCatalog})
 *   GET  /replicate/v1/predictions/{id}                    the prediction
 *   POST /replicate/v1/predictions/{id}/cancel             cancels it (refunded once)
 *   GET  /replicate/v1/webhooks/default/secret             the caller's webhook signing secret
 * </pre>
 * The channel type {@code replicate} defaults to {@code https://api.replicate.com}, its key sent as a Bearer token.
 */
public final class ReplicateFamily implements Family {

    static final String DEFAULT_BASE_URL = "https://api.replicate.com";
    static final ChannelType CHANNEL_TYPE = new ChannelType("replicate", DEFAULT_BASE_URL, UpstreamAuth.bearer(),
            ReplicateFamily::probe);
    static final String ROOT = "/replicate/";
    static final String MODELS = "/replicate/v1/models/";
    static final String PREDICTIONS = "/replicate/v1/predictions";
    static final String SECRET = "/replicate/v1/webhooks/default/secret";

    @Override
    public String name() {
        return ReplicateTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return ReplicateErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return ReplicatePrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Relay relay = context.relay();
        WebhookSigner signer = new WebhookSigner(context.secret(), Clock.systemUTC());
        ReplicateTasks tasks = new ReplicateTasks(context.taskUpstream(), signer, context.tasks().results());
        context.tasks().register(tasks);
        context.tasks().results().register(ReplicateTasks.FAMILY, ReplicateTasks::files);
        ReplicateCatalog catalog = new ReplicateCatalog(relay.services().channels(), relay.services().prices(),
                CHANNEL_TYPE.name());
        PreferWait wait = new PreferWait(relay.services().vertx(), context.blocking(), context.tasks(), tasks);
        ReplicateSubmit byModel = new ReplicateSubmit(ReplicateSubmit.Route.MODEL, catalog, context.publicBaseUrl(),
                wait, tasks);
        ReplicateSubmit byVersion = new ReplicateSubmit(ReplicateSubmit.Route.VERSION, catalog,
                context.publicBaseUrl(), wait, tasks);
        ReplicateQueries queries = new ReplicateQueries(context, tasks, signer);
        context.routes().prefix(ROOT, errors(), ex -> route(ex, relay, byModel, byVersion, queries));
    }

    private static void route(Exchange ex, Relay relay, ReplicateSubmit byModel, ReplicateSubmit byVersion,
                              ReplicateQueries queries) {
        String path = ex.request().path();
        String[] parts = path.split("/", -1); // "", replicate, v1, ...
        if (path.startsWith(MODELS) && parts.length == 7 && parts[6].equals("predictions")) {
            if (allowed(ex, HttpMethod.POST)) {
                relay.handle(ex, byModel);
            }
        } else if (path.equals(PREDICTIONS) || path.equals(PREDICTIONS + "/")) {
            if (allowed(ex, HttpMethod.POST)) {
                relay.handle(ex, byVersion);
            }
        } else if (path.startsWith(PREDICTIONS + "/") && parts.length == 5 && !parts[4].isEmpty()) {
            if (allowed(ex, HttpMethod.GET)) {
                queries.get(ex, parts[4]);
            }
        } else if (path.startsWith(PREDICTIONS + "/") && parts.length == 6 && parts[5].equals("cancel")) {
            if (allowed(ex, HttpMethod.POST)) {
                queries.cancel(ex, parts[4]);
            }
        } else if (path.equals(SECRET)) {
            if (allowed(ex, HttpMethod.GET)) {
                queries.secret(ex);
            }
        } else {
            ex.fail(GatewayException.notFound("not_found", "path: " + path + " (expected: " + MODELS
                    + "{owner}/{name}/predictions, " + PREDICTIONS + "[/{id}[/cancel]] or " + SECRET + ")"));
        }
    }

    /** Whether {@code ex} uses {@code expected}; otherwise it is answered 405. */
    private static boolean allowed(Exchange ex, HttpMethod expected) {
        HttpMethod method = ex.request().method();
        if (method == expected || (expected == HttpMethod.GET && method == HttpMethod.HEAD)) {
            return true;
        }
        ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: " + method + " "
                + ex.request().path() + " (expected: " + expected + ")"));
        return false;
    }

    /** Replicate's account route: free, and a 401 for a bad key. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), CHANNEL_TYPE.auth().value(channel))
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return ProbeRequest.onAccountRoute("GET", channel.url("/v1/account"), headers, null);
    }
}

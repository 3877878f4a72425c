package dev.antler.flux;

import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.health.ProbeRequest;
import dev.antler.http.ClientKey;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;

/**
 * Flux (Black Forest Labs) as a native pass-through under {@code /flux}, as DeerAPI serves it: clients send BFL's own
 * bodies to {@code POST /flux/v1/{model}} and poll {@code GET /flux/v1/get_result?id=} — the polling URL the gateway
 * answers, never BFL's — with the gateway's task ids. The client's key may come as BFL's {@code x-key} too. The
 * channel type {@code flux} defaults to BFL's global API, {@code https://api.bfl.ai}; its key goes in {@code x-key}.
 * The image is handed out as the gateway's link (copied when mirroring is on: BFL's expires in about 10 minutes).
 */
public final class FluxFamily implements Family {

    static final String DEFAULT_BASE_URL = "https://api.bfl.ai";
    static final ChannelType CHANNEL_TYPE = new ChannelType("flux", DEFAULT_BASE_URL, UpstreamAuth.header("x-key"),
            FluxFamily::probe);

    @Override
    public String name() {
        return FluxTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return FluxErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return FluxPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        FluxTasks tasks = new FluxTasks(context.taskUpstream(), context.guard(), context.tasks().results(),
                context.relay().services().clock());
        context.tasks().register(tasks);
        context.tasks().results().register(FluxTasks.FAMILY, FluxTaskView::resultFiles);
        FluxSubmit submit = new FluxSubmit(context.publicBaseUrl());
        context.imageDialects().add(new FluxImageDialect(submit));
        FluxQueries queries = new FluxQueries(context, tasks);
        context.routes().prefix(FluxSubmit.PREFIX, errors(), ex -> route(ex, context, submit, queries));
    }

    /** {@code GET /flux/v1/get_result}: a read; {@code POST /flux/v1/{model}}: a submit. */
    private static void route(Exchange ex, FamilyContext context, FluxSubmit submit, FluxQueries queries) {
        String path = ex.request().path();
        String rest = path.substring(FluxSubmit.PREFIX.length());
        HttpMethod method = ex.request().method();
        if (path.equals(FluxTaskView.GET_RESULT)) {
            if (method == HttpMethod.GET) {
                queries.getResult(ex);
            } else {
                ex.fail(notAllowed(ex, "GET " + FluxTaskView.GET_RESULT + "?id="));
            }
        } else if (rest.isEmpty() || rest.contains("/")) {
            ex.fail(GatewayException.notFound("not_found", "path: " + path + " (expected: " + FluxSubmit.PREFIX
                    + "{model} or " + FluxTaskView.GET_RESULT + ")"));
        } else if (method == HttpMethod.POST) {
            context.relay().handle(ex, submit, clientKey(ex.request()));
        } else {
            ex.fail(notAllowed(ex, "POST " + path));
        }
    }

    private static GatewayException notAllowed(Exchange ex, String expected) {
        return new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                + ex.request().method() + " " + ex.request().path() + " (expected: " + expected + ")");
    }

    /** The client's key: the gateway's usual headers, else BFL's own {@code x-key}. */
    static String clientKey(HttpServerRequest request) {
        String key = ClientKey.of(request);
        if (key == null || key.isBlank()) {
            String bfl = request.getHeader("x-key");
            key = bfl == null ? key : bfl.trim();
        }
        return key;
    }

    /** BFL's credit balance, {@code GET /v1/credits}: proves the key (401/403 otherwise) and costs nothing. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), CHANNEL_TYPE.auth().value(channel))
                .set("Accept", "application/json")
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return ProbeRequest.onAccountRoute("GET", channel.url("/v1/credits"), headers, null);
    }
}

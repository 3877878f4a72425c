package dev.antler.minimax;

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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * MiniMax's video generation (Hailuo) as a native pass-through under {@code /minimax} (as relays serve it):
 * clients send MiniMax's own bodies to {@code POST /minimax/v1/video_generation} (V1) or
 * {@code POST /minimax/v2/video_generation} (V2, MiniMax-H3) and read MiniMax's own answers, with the gateway's
 * task and file ids and result links. The channel type {@code minimax} defaults to MiniMax's global API,
 * {@code https://api.minimax.io} (China's is {@code https://api.minimaxi.com}), its key sent as a Bearer token.
 * Polled task by task; MiniMax is never given a callback URL (its callbacks would first need the gateway to
 * answer a challenge, and polling loses nothing); the client's {@code callback_url} gets the gateway's webhook.
 */
public final class MiniMaxFamily implements Family {

    static final String DEFAULT_BASE_URL = "https://api.minimax.io";
    static final ChannelType CHANNEL_TYPE = new ChannelType("minimax", DEFAULT_BASE_URL, UpstreamAuth.bearer(),
            MiniMaxFamily::probe);
    private static final String V2_QUERY = "/minimax/v2/query/video_generation/";

    @Override
    public String name() {
        return MiniMaxTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return MiniMaxErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return MiniMaxPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Relay relay = context.relay();
        MiniMaxTasks tasks = new MiniMaxTasks(context.taskUpstream(), context.tasks().results(),
                relay.services().clock());
        context.tasks().register(tasks);
        context.tasks().results().register(MiniMaxTasks.FAMILY, tasks::resultFiles);
        MiniMaxReplies replies = new MiniMaxReplies(relay.services().channels().health());
        Map<MiniMaxApi, MiniMaxSubmit> submits = new EnumMap<>(MiniMaxApi.class);
        for (MiniMaxApi api : MiniMaxApi.values()) {
            submits.put(api, new MiniMaxSubmit(api, replies, context.publicBaseUrl()));
        }
        context.tasks().videoDialects().add(new MiniMaxDialect(submits, tasks, context.tasks().results()));
        MiniMaxQueries queries = new MiniMaxQueries(context, tasks);
        ErrorFormat v1 = MiniMaxErrorFormat.INSTANCE;
        ErrorFormat v2 = MiniMaxV2ErrorFormat.INSTANCE;
        context.routes()
                .add(HttpMethod.POST, "/minimax/v1/video_generation", v1,
                        ex -> relay.handle(ex, submits.get(MiniMaxApi.V1)))
                .add(HttpMethod.GET, "/minimax/v1/query/video_generation", v1, guarded(queries::v1Query))
                .add(HttpMethod.GET, "/minimax/v1/files/retrieve", v1, guarded(queries::v1File))
                .add(HttpMethod.POST, "/minimax/v2/video_generation", v2,
                        ex -> relay.handle(ex, submits.get(MiniMaxApi.V2)))
                .prefix(V2_QUERY, v2, guarded(ex -> v2Query(ex, queries)));
    }

    /** {@code GET /minimax/v2/query/video_generation/{task_id}}. */
    private static void v2Query(Exchange ex, MiniMaxQueries queries) {
        String id = ex.request().path().substring(V2_QUERY.length());
        if (ex.request().method() != HttpMethod.GET && ex.request().method() != HttpMethod.HEAD) {
            ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                    + ex.request().method() + " (expected: GET " + V2_QUERY + "{task_id})"));
        } else if (id.isEmpty() || id.contains("/")) {
            ex.fail(GatewayException.notFound("not_found", "path: " + ex.request().path() + " (expected: "
                    + V2_QUERY + "{task_id})"));
        } else {
            queries.v2Query(ex, id);
        }
    }

    /** {@code handler}, whose synchronous failure (a bad parameter) is answered in the route's shape. */
    private static Consumer<Exchange> guarded(Consumer<Exchange> handler) {
        return ex -> {
            try {
                handler.accept(ex);
            } catch (GatewayException e) {
                ex.fail(e);
            }
        };
    }

    /**
     * {@code path} on {@code channel}: its base URL without a trailing {@code /v1} (operators often write one), so
     * V1's and V2's paths both land where MiniMax serves them.
     */
    static String url(Channel channel, String path) {
        String v1 = channel.url("/v1/");
        return v1.substring(0, v1.length() - "/v1/".length()) + path;
    }

    /** V2's task list asked for one task: free, and answered 401 when the key is refused. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), CHANNEL_TYPE.auth().value(channel))
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return new ProbeRequest("GET", url(channel, "/v2/query/video_generation?page_num=1&page_size=1"), headers,
                null);
    }
}

package dev.antler.kling;

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
import dev.antler.tasks.Task;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kling as a native pass-through under {@code /kling} (as DeerAPI serves it): clients send Kling's own bodies to
 * {@code POST /kling/v1/{videos|images}/{action}} and read {@code GET .../{action}/{task_id}} (and the list form
 * {@code GET .../{action}?pageNum=&pageSize=}), answered in Kling's envelope with the gateway's task ids. The
 * channel type {@code kling} defaults to Kling's global API, {@code https://api-singapore.klingai.com} (the
 * endpoint Kling's docs name for servers outside China since the move from {@code api.klingai.com}); its key is
 * {@code accessKey|secretKey}, signed into a JWT per {@link KlingAuth}, or another relay's {@code sk-} key.
 * Results are handed out as the gateway's links ({@link dev.antler.tasks.ResultLinks}, served by the task engine's result route); with a public base URL
 * configured, Kling calls the gateway back ({@link KlingCallbacks}) and polling is the fallback.
 */
public final class KlingFamily implements Family {

    /** Where result links pointed before every family's results were served under {@code /results/}. */
    private static final String OLD_RESULTS = "/kling/results/";
    static final String DEFAULT_BASE_URL = "https://api-singapore.klingai.com";
    /** The header is {@code Authorization}; its value (a signed token) is built by {@link KlingAuth}. */
    static final ChannelType CHANNEL_TYPE = new ChannelType("kling", DEFAULT_BASE_URL, UpstreamAuth.bearer(),
            KlingFamily::probe);
    private static final KlingAuth AUTH = new KlingAuth(Clock.systemUTC());

    @Override
    public String name() {
        return KlingTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return KlingErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return KlingPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Relay relay = context.relay();
        boolean callbacks = context.publicBaseUrl() != null;
        KlingTasks tasks = new KlingTasks(context.taskUpstream(), AUTH, callbacks);
        context.tasks().register(tasks);
        context.tasks().results().register(KlingTasks.FAMILY, KlingTaskView::resultFiles);
        KlingQueries queries = new KlingQueries(context, tasks);
        Map<KlingAction, KlingSubmit> submits = new EnumMap<>(KlingAction.class);
        for (KlingAction action : KlingAction.values()) {
            submits.put(action, new KlingSubmit(action, AUTH, context.publicBaseUrl(),
                    context.relay().services().prices()::find));
        }
        context.tasks().videoDialects().add(new KlingDialect(submits, tasks));
        // Result links handed out before all families shared /results/ keep working.
        context.routes().prefix(OLD_RESULTS, errors(), ex -> context.tasks().results().handle(ex, OLD_RESULTS));
        KlingCallbacks callbackRoute = new KlingCallbacks(context, tasks);
        context.routes().prefix(KlingCallbacks.PATH, errors(), callbackRoute::handle);
        for (String kind : List.of("videos", "images")) {
            String base = "/kling/v1/" + kind + "/";
            context.routes().prefix(base, errors(), ex -> route(ex, kind, base, relay, submits, queries));
        }
    }

    @Override
    public ObjectNode adminFacts(Task task) {
        return KlingTasks.adminFacts(task);
    }

    /** {@code POST {base}{action}}: a submit; {@code GET {base}{action}[/{task_id}]}: a read. */
    private static void route(Exchange ex, String kind, String base, Relay relay, Map<KlingAction, KlingSubmit> submits,
                              KlingQueries queries) {
        String rest = ex.request().path().substring(base.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String taskId = slash < 0 ? null : rest.substring(slash + 1);
        KlingAction action = KlingAction.of(kind, name).orElse(null);
        if (action == null || (taskId != null && (taskId.isEmpty() || taskId.contains("/")))) {
            ex.fail(GatewayException.notFound("not_found", "path: " + ex.request().path() + " (expected: " + base
                    + "{" + KlingAction.names(kind) + "}[/{task_id}])"));
        } else if (ex.request().method() == HttpMethod.POST && taskId == null) {
            relay.handle(ex, submits.get(action));
        } else if (ex.request().method() == HttpMethod.GET) {
            if (taskId == null) {
                queries.list(ex, action);
            } else {
                queries.one(ex, action, taskId);
            }
        } else {
            ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                    + ex.request().method() + " " + ex.request().path() + " (expected: POST " + base + name
                    + ", GET " + base + name + "[/{task_id}])"));
        }
    }

    /** The free list query for one task: proves the key (401 otherwise) and costs nothing. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), AUTH.header(channel))
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return new ProbeRequest("GET", KlingTasks.url(channel, "/v1/videos/text2video?pageNum=1&pageSize=1"), headers,
                null);
    }
}

package dev.antler.runway;

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
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultLinks;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runway, in two formats.
 * <ul>
 *   <li><b>Runway's own API</b> under {@code /runway/v1} (also {@code /runwayml/v1}), so Runway's SDKs work with the
 *       gateway as their base URL: {@code POST /v1/{image_to_video|text_to_video|video_to_video}},
 *       {@code GET|DELETE /v1/tasks/{id}}, errors in Runway's shape. Channel type {@code runway}: Runway's API,
 *       {@code https://api.dev.runwayml.com}, a Bearer key; {@code X-Runway-Version} is the client's or 2024-11-06.</li>
 *   <li><b>DeerAPI's reverse ("compat") format</b>: {@code POST /runway/pro/{generate|video2video|act_one}} and
 *       {@code POST /runway/feed}, in the envelope {@code {code, msg, data, exec_time}}. It reaches a
 *       {@code runway-compat} channel (another relay with that format; no default base URL) as sent, or a
 *       {@code runway} channel translated to Runway's API where it translates ({@link CompatSubmit}).</li>
 * </ul>
 * Tasks are polled one by one ({@link RunwayTasks}); results are handed out as the gateway's links; a Runway model on
 * new-api's {@code /v1/video/generations} comes here through {@link RunwayDialect}.
 */
public final class RunwayFamily implements Family {

    static final String DEFAULT_BASE_URL = "https://api.dev.runwayml.com";
    static final ChannelType OFFICIAL = new ChannelType("runway", DEFAULT_BASE_URL, UpstreamAuth.bearer(),
            RunwayFamily::probe);
    /** No probe: the reverse format has no free request whose answer proves the key. */
    static final ChannelType COMPAT = new ChannelType("runway-compat", null, UpstreamAuth.bearer(), null);
    private static final List<String> OFFICIAL_PREFIXES = List.of("/runway/v1/", "/runwayml/v1/");

    @Override
    public String name() {
        return RunwayTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(OFFICIAL, COMPAT);
    }

    @Override
    public ErrorFormat errors() {
        return RunwayErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return RunwayPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Links links = context.tasks().results()::link;
        LinkFacts facts = client -> ResultLinks.addFacts(Json.object(), context.publicBaseUrl(), client);
        context.tasks().results().register(RunwayTasks.FAMILY,
                new RunwayResults(context.taskUpstream(), context.relay().services().clock()));
        RunwayTasks tasks = new RunwayTasks(context.taskUpstream(), new OutputSeconds(context.guard()), links);
        context.tasks().register(tasks);
        RunwayQueries queries = new RunwayQueries(context, tasks, links);
        Map<RunwayEndpoint, RunwaySubmit> submits = new EnumMap<>(RunwayEndpoint.class);
        for (RunwayEndpoint endpoint : RunwayEndpoint.values()) {
            submits.put(endpoint, new RunwaySubmit(endpoint, facts));
        }
        context.tasks().videoDialects().add(new RunwayDialect(submits, tasks, links));
        String creates = String.join(",", Arrays.stream(RunwayEndpoint.values()).map(e -> e.path).toList());
        for (String prefix : OFFICIAL_PREFIXES) {
            for (RunwayEndpoint endpoint : RunwayEndpoint.values()) {
                context.routes().add(HttpMethod.POST, prefix + endpoint.path, errors(),
                        ex -> context.relay().handle(ex, submits.get(endpoint)));
            }
            context.routes().prefix(prefix + "tasks/", errors(), ex -> task(ex, prefix, queries));
            context.routes().prefix(prefix, errors(), ex -> unknown(ex, prefix + "{" + creates + "}, " + prefix
                    + "tasks/{id}"));
        }
        for (CompatAction action : CompatAction.values()) {
            CompatSubmit submit = new CompatSubmit(action, facts, links);
            context.routes().add(HttpMethod.POST, "/runway/pro/" + action.path, CompatErrorFormat.INSTANCE,
                    ex -> context.relay().handle(ex, submit));
        }
        context.routes().add(HttpMethod.POST, "/runway/feed", CompatErrorFormat.INSTANCE, queries::feed);
        context.routes().prefix("/runway/pro/", CompatErrorFormat.INSTANCE, ex -> unknown(ex,
                "POST /runway/pro/{generate,video2video,act_one}"));
    }

    /** A path under the family's prefixes that is none of its routes: a 404 in the prefix's format. */
    private static void unknown(Exchange ex, String expected) {
        ex.fail(GatewayException.notFound("not_found", ex.request().method() + " " + ex.request().path()
                + " (expected: " + expected + ")"));
    }

    /** {@code GET|DELETE {prefix}tasks/{id}}. */
    private static void task(Exchange ex, String prefix, RunwayQueries queries) {
        String id = ex.request().path().substring((prefix + "tasks/").length());
        if (id.isEmpty() || id.contains("/")) {
            ex.fail(GatewayException.notFound("not_found", "path: " + ex.request().path() + " (expected: " + prefix
                    + "tasks/{id})"));
        } else if (ex.request().method() == HttpMethod.GET) {
            queries.retrieve(ex, id);
        } else if (ex.request().method() == HttpMethod.DELETE) {
            queries.delete(ex, id);
        } else {
            ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                    + ex.request().method() + " " + ex.request().path() + " (expected: GET or DELETE)"));
        }
    }

    /** {@code GET /v1/organization}: the account's tier and credit balance; free, and a 401 for a bad key. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(OFFICIAL.auth().name(), OFFICIAL.auth().value(channel))
                .set(RunwayInput.VERSION_HEADER, RunwayInput.DEFAULT_VERSION)
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return ProbeRequest.onAccountRoute("GET", channel.url("/v1/organization"), headers, null);
    }
}

package dev.antler.luma;

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
import java.util.List;
import java.util.Map;

/**
 * Luma's Dream Machine video generations in two wire formats:
 * <ul>
 *   <li>official, as DeerAPI documents it — {@code POST /dream-machine/v1/generations} (also at {@code .../generations
 *       /video}, the path of Luma's Python SDK), {@code GET /dream-machine/v1/generations/{id}} and the list
 *       {@code GET /dream-machine/v1/generations?limit=&offset=}, answered with Luma's Generation object;</li>
 *   <li>the sibling relays' reverse format — {@code POST /luma/generations}, {@code GET /luma/generations/{id}},
 *       {@code POST /luma/generations/{id}/extend} with {@code user_prompt}, {@code model_name}, ... — translated to
 *       the official format field by field ({@link LumaInput#reverse}) and answered in its own shape.</li>
 * </ul>
 * Both reach channels of type {@code luma}, which speak the official API (default {@code https://api.lumalabs.ai},
 * a Bearer key), so one upstream serves both and a task made in one format can be read in the other. Every answer
 * names the gateway's ids and result links, never Luma's.
 */
public final class LumaFamily implements Family {

    static final String DEFAULT_BASE_URL = "https://api.lumalabs.ai";
    static final ChannelType CHANNEL_TYPE = new ChannelType("luma", DEFAULT_BASE_URL, UpstreamAuth.bearer(),
            LumaFamily::probe);
    static final String OFFICIAL = "/dream-machine/v1/generations";
    static final String REVERSE = "/luma/generations";

    @Override
    public String name() {
        return LumaTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return LumaErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return LumaPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Relay relay = context.relay();
        LumaTasks tasks = new LumaTasks(context.taskUpstream());
        context.tasks().register(tasks);
        context.tasks().results().register(LumaTasks.FAMILY, LumaAssets::files);
        LumaQueries queries = new LumaQueries(context, tasks);
        LumaSubmit official = new LumaSubmit(LumaFormat.OFFICIAL, false, context.publicBaseUrl());
        LumaSubmit reverse = new LumaSubmit(LumaFormat.REVERSE, false, context.publicBaseUrl());
        LumaSubmit extend = new LumaSubmit(LumaFormat.REVERSE, true, context.publicBaseUrl());
        context.tasks().videoDialects().add(new LumaDialect(official, tasks));
        ErrorFormat errors = errors();
        context.routes().add(HttpMethod.POST, OFFICIAL, errors, ex -> relay.handle(ex, official));
        context.routes().add(HttpMethod.POST, OFFICIAL + "/video", errors, ex -> relay.handle(ex, official));
        context.routes().add(HttpMethod.GET, OFFICIAL, errors, queries::list);
        context.routes().prefix(OFFICIAL + "/", errors, ex -> {
            String id = ex.request().path().substring(OFFICIAL.length() + 1);
            if (ex.request().method() != HttpMethod.GET) {
                ex.fail(notAllowed(ex, "GET " + OFFICIAL + "/{id}"));
            } else if (id.isEmpty() || id.contains("/")) {
                ex.fail(notFound(ex, OFFICIAL + "/{id}"));
            } else {
                queries.one(ex, id, LumaFormat.OFFICIAL);
            }
        });
        context.routes().add(HttpMethod.POST, REVERSE, errors, ex -> relay.handle(ex, reverse));
        context.routes().prefix(REVERSE + "/", errors, ex -> {
            String[] parts = ex.request().path().substring(REVERSE.length() + 1).split("/", -1);
            boolean get = ex.request().method() == HttpMethod.GET;
            if (parts.length == 1 && !parts[0].isEmpty() && get) {
                queries.one(ex, parts[0], LumaFormat.REVERSE);
            } else if (parts.length == 2 && !parts[0].isEmpty() && parts[1].equals("extend")
                    && ex.request().method() == HttpMethod.POST) {
                relay.handle(ex, extend);
            } else if (parts.length <= 2 && !parts[0].isEmpty()) {
                ex.fail(notAllowed(ex, "GET " + REVERSE + "/{id}, POST " + REVERSE + "/{id}/extend"));
            } else {
                ex.fail(notFound(ex, REVERSE + "/{id}[/extend]"));
            }
        });
    }

    private static GatewayException notFound(Exchange ex, String expected) {
        return GatewayException.notFound("not_found", "path: " + ex.request().path() + " (expected: " + expected + ")");
    }

    private static GatewayException notAllowed(Exchange ex, String expected) {
        return new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                + ex.request().method() + " " + ex.request().path() + " (expected: " + expected + ")");
    }

    /** Luma's credits query: free, and a 401 for a bad key. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), CHANNEL_TYPE.auth().value(channel))
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return ProbeRequest.onAccountRoute("GET", LumaTasks.url(channel, "/dream-machine/v1/credits"), headers, null);
    }
}

package dev.antler.suno;

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
import dev.antler.http.Routes;
import dev.antler.relay.Operation.BodyKind;
import dev.antler.relay.Relay;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * The Suno family (the task relay protocol of new-api and DeerAPI) under {@code /suno}: songs, lyrics, concat and
 * uploads are tasks, charged per call when the upstream accepts them and refunded by the task engine on failure or
 * timeout; DeerAPI's extras are answered at once and charged per call. Upstream paths are the client's paths.
 *
 * <p>Suno and Udio are two families (one package): each is its own provider with its own channel type, task
 * family, routes and prices; what they share — the protocol's envelope, errors, task head and account-field
 * stripping — lives here once.
 */
public final class SunoFamily implements Family {

    /** A relay of the protocol: {@code Authorization: Bearer <key>}; no default base URL. */
    static final ChannelType CHANNEL_TYPE = new ChannelType("suno", null, UpstreamAuth.bearer(), SunoFamily::probe);

    @Override
    public String name() {
        return SunoTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return SunoErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return SunoPrices.suno();
    }

    /**
     * Registers the task family, then {@code POST /suno/submit/*} (one prefix, so an unknown action is 400
     * {@code invalid_action}), {@code POST /suno/uploads/audio-url}, {@code POST /suno/persona/create},
     * {@code /suno/act/...} (POST tags and vox, GET stems, wav, mp4 and timing), and the fetches.
     */
    @Override
    public void mount(FamilyContext context) {
        Relay relay = context.relay();
        SunoUpstream upstream = new SunoUpstream(context.taskUpstream(),
                CHANNEL_TYPE.auth());
        SunoTasks tasks = new SunoTasks(upstream);
        context.tasks().register(tasks);
        SunoQueries queries = new SunoQueries(SunoTasks.FAMILY, context, tasks::fetch, SunoTaskView::single);
        SunoSubmitOperation posted = new SunoSubmitOperation(BodyKind.JSON);
        SunoSubmitOperation got = new SunoSubmitOperation(BodyKind.NONE);
        Routes routes = context.routes();
        ErrorFormat errors = errors();
        routes.prefix("/suno/submit/", errors, ex -> {
            if (allowed(ex, HttpMethod.POST)) {
                relay.handle(ex, posted);
            }
        });
        routes.add(HttpMethod.POST, "/suno/uploads/audio-url", errors, ex -> relay.handle(ex, posted));
        routes.add(HttpMethod.POST, "/suno/persona/create", errors, ex -> relay.handle(ex, posted));
        routes.prefix("/suno/act/", errors, ex -> {
            if (allowed(ex, HttpMethod.POST, HttpMethod.GET)) {
                relay.handle(ex, ex.request().method() == HttpMethod.GET ? got : posted);
            }
        });
        routes.add(HttpMethod.POST, "/suno/fetch", errors, queries::batch);
        routes.prefix("/suno/fetch/", errors, ex -> fetch(ex, "/suno/fetch/", queries));
    }

    /** {@code GET <base>{id}}: one task. */
    static void fetch(Exchange ex, String base, SunoQueries queries) {
        String id = ex.request().path().substring(base.length());
        if (allowed(ex, HttpMethod.GET)) {
            if (id.isEmpty() || id.contains("/")) {
                ex.fail(GatewayException.notFound("not_found", "GET " + ex.request().path() + " (expected: GET "
                        + base + "{task_id})"));
            } else {
                queries.fetch(ex, id);
            }
        }
    }

    /** Whether the request's method is one of {@code methods}; if not, it is answered 405. */
    static boolean allowed(Exchange ex, HttpMethod... methods) {
        for (HttpMethod method : methods) {
            if (ex.request().method() == method) {
                return true;
            }
        }
        ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", ex.request().method() + " "
                + ex.request().path() + " (expected: " + List.of(methods) + ")"));
        return false;
    }

    /** The batch fetch for no ids: free, makes nothing, and answers 401 when the channel's key is wrong. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json")
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return new ProbeRequest("POST", channel.url(SunoPoll.BATCH_PATH), headers, "{\"ids\":[]}");
    }
}

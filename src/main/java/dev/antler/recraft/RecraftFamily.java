package dev.antler.recraft;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.health.ProbeRequest;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.http.Routes;
import dev.antler.relay.Operation;
import dev.antler.relay.Relay;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Recraft family (synchronous): image generation (also the raster and vector routes), image to image,
 * inpainting, background replacement and generation, and the per-call tools (vectorize, remove background,
 * crisp and creative upscale, region erase, style creation), each at {@code /recraft} plus Recraft's own path
 * and at one-hub's {@code /recraftAI} alias. A request is JSON or a multipart form, as Recraft takes both;
 * errors use Recraft's {@code {code, message}} shape. Its models are also served on OpenAI's images route
 * ({@link RecraftImageDialect}).
 */
public final class RecraftFamily implements Family {

    /** Recraft's API: the key as a bearer token; the probe reads the account, which is free. */
    static final ChannelType CHANNEL_TYPE = new ChannelType("recraft", "https://external.api.recraft.ai",
            UpstreamAuth.bearer(), RecraftFamily::probe);

    static final List<String> PREFIXES = List.of("/recraft", "/recraftAI");

    @Override
    public String name() {
        return "recraft";
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return RecraftErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return RecraftPrices.table();
    }

    /** With {@code context.mirror()}, result images (as URLs) are mirrored and their URLs rewritten. */
    @Override
    public void mount(FamilyContext context) {
        Routes routes = context.routes();
        Relay relay = context.relay();
        for (RecraftEndpoint endpoint : RecraftEndpoint.values()) {
            JsonOperation json = new JsonOperation(endpoint, context.mirror());
            Operation<?> form = new FormOperation(endpoint, context.mirror());
            Consumer<Exchange> handler = exchange -> relay.handle(exchange, isForm(exchange) ? form : json);
            for (String prefix : PREFIXES) {
                routes.add(HttpMethod.POST, prefix + endpoint.path(), RecraftErrorFormat.INSTANCE, handler);
            }
            if (endpoint == RecraftEndpoint.GENERATE) {
                context.imageDialects().add(new RecraftImageDialect(json));
            }
        }
        for (String prefix : PREFIXES) {
            routes.prefix(prefix + "/", RecraftErrorFormat.INSTANCE, exchange -> exchange.fail(unknown(exchange, prefix)));
        }
    }

    private static GatewayException unknown(Exchange exchange, String prefix) {
        return GatewayException.notFound("not_found", "no route for " + exchange.request().method() + " "
                + exchange.request().path() + " (expected: POST " + prefix + " plus one of " + paths() + ")");
    }

    private static boolean isForm(Exchange exchange) {
        String contentType = exchange.request().getHeader("Content-Type");
        return contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    private static String paths() {
        return String.join(", ", Arrays.stream(RecraftEndpoint.values()).map(RecraftEndpoint::path).toList());
    }

    /** {@code GET /v1/users/me}: proves the key and shows the account's credits, at no cost. */
    private static ProbeRequest probe(Channel channel) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(CHANNEL_TYPE.auth().name(), CHANNEL_TYPE.auth().value(channel))
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return ProbeRequest.onAccountRoute("GET", channel.url("/v1/users/me"), headers, null);
    }
}

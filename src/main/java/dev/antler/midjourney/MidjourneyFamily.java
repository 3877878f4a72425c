package dev.antler.midjourney;

import dev.antler.billing.Price;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ErrorFormat;
import java.util.List;
import java.util.Map;

/**
 * The Midjourney family (midjourney-proxy protocol) under {@code /mj} and the speed prefixes
 * {@code /mj-fast}, {@code /mj-relax} and {@code /mj-turbo}. Submits are priced per action (and mode),
 * charged when the upstream accepts them and refunded by the task engine on FAILURE, CANCEL or timeout.
 */
public final class MidjourneyFamily implements Family {

    /** A midjourney-proxy: the key in {@code mj-api-secret}; no default base URL. */
    static final ChannelType CHANNEL_TYPE = new ChannelType("midjourney", null, UpstreamAuth.header("mj-api-secret"),
            MjProbe::request);
    private static final List<String> MODES = List.of("fast", "relax", "turbo");

    @Override
    public String name() {
        return "midjourney";
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return MjErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return MjPrices.table();
    }

    /** Registers the task family with the engine, then the routes without a speed prefix and under each. */
    @Override
    public void mount(FamilyContext context) {
        MjUpstream upstream = new MjUpstream(context.taskUpstream());
        MjTasks family = new MjTasks(upstream);
        context.tasks().register(family);
        context.tasks().results().register(MjTasks.FAMILY, MjImageDialect::resultFiles);
        context.imageDialects().add(new MjImageDialect(context.publicBaseUrl()));
        MjRoutes routes = new MjRoutes(context, upstream, family);
        routes.mount(context.routes(), "", null);
        for (String mode : MODES) {
            routes.mount(context.routes(), "/mj-" + mode, mode);
        }
    }
}

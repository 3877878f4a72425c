package dev.antler.suno;

import dev.antler.billing.Price;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ErrorFormat;
import dev.antler.relay.Relay;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * The Udio family, in the same task relay protocol as Suno (see {@link SunoFamily}): {@code POST
 * /udio/submit/music} makes a task, charged per call when the upstream accepts it and refunded on failure or
 * timeout; {@code GET /udio/fetch/{id}} shows it. Upstream paths are the client's paths.
 */
public final class UdioFamily implements Family {

    /**
     * A relay of the protocol: {@code Authorization: Bearer <key>}; no default base URL. Not testable: Udio's only
     * free call is a single task's fetch, which answers 400 for any task the channel did not make, so a test could
     * not tell a working key from a refused request.
     */
    static final ChannelType CHANNEL_TYPE = new ChannelType("udio", null, UpstreamAuth.bearer(), null);

    @Override
    public String name() {
        return UdioTasks.FAMILY;
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
        return SunoPrices.udio();
    }

    /** Registers the task family, then {@code POST /udio/submit/*} (an unknown action is 400) and the fetch. */
    @Override
    public void mount(FamilyContext context) {
        Relay relay = context.relay();
        SunoUpstream upstream = new SunoUpstream(context.taskUpstream(),
                CHANNEL_TYPE.auth());
        UdioTasks tasks = new UdioTasks(upstream);
        context.tasks().register(tasks);
        SunoQueries queries = new SunoQueries(UdioTasks.FAMILY, context, tasks::fetch, UdioTaskView::single);
        UdioSubmitOperation submit = new UdioSubmitOperation();
        context.routes().prefix("/udio/submit/", errors(), ex -> {
            if (SunoFamily.allowed(ex, HttpMethod.POST)) {
                relay.handle(ex, submit);
            }
        });
        context.routes().prefix("/udio/fetch/", errors(), ex -> SunoFamily.fetch(ex, "/udio/fetch/", queries));
    }
}

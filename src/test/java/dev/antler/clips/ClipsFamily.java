package dev.antler.clips;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny async video family, for tests only: it shows that a family is one package and one registration line
 * ({@code new Families(List.of(..., new ClipsFamily()))}) and exercises the three billing stages end to end.
 * Clients submit {@code POST /clips/v1/videos {"model": "clip-1", "seconds": 10}} and read
 * {@code GET /clips/v1/videos/{id}}; a clip is priced per second, held for the seconds asked, charged for those
 * when the upstream accepts, and settled at completion on the seconds the upstream made.
 */
public final class ClipsFamily implements Family {

    static final String NAME = "clips";
    static final String MODEL = "clip-1";
    /** Per second of clip, USD. */
    static final String PRICE_PER_SECOND = "0.01";
    static final ChannelType CHANNEL_TYPE = new ChannelType("clips", null, UpstreamAuth.bearer(), null);

    /** {@code {"error": {"code": ..., "message": ...}}}. */
    static final ErrorFormat ERRORS = new ErrorFormat() {
        @Override
        public Buffer render(GatewayException error, String requestId) {
            ObjectNode root = Json.object();
            ObjectNode body = root.putObject("error");
            body.put("code", error.code());
            body.put("message", error.getMessage());
            body.put("request_id", requestId);
            return Buffer.buffer(Json.bytes(root));
        }

        @Override
        public Buffer renderStreamEvent(GatewayException error, String requestId) {
            return render(error, requestId);
        }
    };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return ERRORS;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return Map.of(MODEL, Price.perSecond(PRICE_PER_SECOND));
    }

    @Override
    public void mount(FamilyContext context) {
        ClipsTasks tasks = new ClipsTasks(context.taskUpstream());
        context.tasks().register(tasks);
        ClipsSubmit submit = new ClipsSubmit();
        context.routes().add(HttpMethod.POST, "/clips/v1/videos", ERRORS, ex -> context.relay().handle(ex, submit));
        ClipsFetch fetch = new ClipsFetch(context, tasks);
        context.routes().prefix("/clips/v1/videos/", ERRORS, fetch::handle);
    }
}

package dev.antler.videogen;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.http.ErrorFormat;
import dev.antler.http.OpenAiErrorFormat;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * new-api's generic video route: {@code POST /v1/video/generations} hands each model to the video family whose
 * dialect claims it ({@link dev.antler.tasks.VideoDialects}), and {@code GET /v1/video/generations/{task_id}} reads
 * any of the caller's tasks of those families in new-api's task envelope. No channels, prices or tasks of its own;
 * errors in OpenAI's envelope. Registered after the families whose dialects it serves.
 */
public final class GenericVideoFamily implements Family {

    static final String PATH = "/v1/video/generations";

    @Override
    public String name() {
        return "videogen";
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of();
    }

    @Override
    public ErrorFormat errors() {
        return OpenAiErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return Map.of();
    }

    @Override
    public void mount(FamilyContext context) {
        GenericSubmit submit = new GenericSubmit(context.tasks().videoDialects());
        GenericQueries queries = new GenericQueries(context);
        ErrorFormat errors = errors();
        context.routes().add(HttpMethod.POST, PATH, errors, ex -> context.relay().handle(ex, submit));
        context.routes().prefix(PATH + "/", errors, ex -> {
            String id = ex.request().path().substring(PATH.length() + 1);
            if (ex.request().method() == HttpMethod.GET && !id.isEmpty() && !id.contains("/")) {
                queries.one(ex, id);
            } else {
                ex.fail(GatewayException.notFound("not_found", ex.request().method() + " " + ex.request().path()
                        + " (expected: POST " + PATH + ", GET " + PATH + "/{task_id})"));
            }
        });
    }
}

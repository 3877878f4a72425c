package dev.antler.videos;

import dev.antler.billing.Price;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.http.OpenAiErrorFormat;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI Videos API ({@code /v1/videos}: create, retrieve, list, delete, remix, content) on the {@code openai}
 * channels serving the model asked: Sora with OpenAI's rules, any other video model a channel lists (DeerAPI's
 * Veo) passed through. Priced per second of video (see {@link VideoPrices}); errors in OpenAI's envelope.
 */
public final class VideosFamily implements Family {

    static final String NAME = "videos";
    static final String BASE = "/v1/videos/";
    static final UpstreamAuth AUTH = UpstreamAuth.bearer();
    /** What the SDKs wait between polls of an unfinished video. */
    static final String POLL_AFTER_HEADER = "openai-poll-after-ms";
    static final String POLL_AFTER_MS = "2000";

    private final VideoSubmit json = new VideoSubmit(VideoSubmit.Kind.JSON);
    private final VideoSubmit multipart = new VideoSubmit(VideoSubmit.Kind.MULTIPART);
    private final VideoSubmit remix = new VideoSubmit(VideoSubmit.Kind.REMIX);
    private final VideoSubmit remixForm = new VideoSubmit(VideoSubmit.Kind.REMIX_FORM);
    private FamilyContext context;

    @Override
    public String name() {
        return NAME;
    }

    /** None of its own: videos are served by {@code openai} channels listing the model. */
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
        return VideoPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        this.context = context;
        VideoTasks tasks = new VideoTasks(context.taskUpstream());
        context.tasks().register(tasks);
        context.tasks().results().register(NAME, VideoContent::resultFiles);
        context.tasks().videoDialects().add(new VideosDialect(json, tasks));
        VideoQueries queries = new VideoQueries(context, tasks);
        VideoContent content = new VideoContent(context, queries);
        ErrorFormat errors = OpenAiErrorFormat.INSTANCE;
        context.routes().add(HttpMethod.POST, "/v1/videos", errors, this::create);
        context.routes().add(HttpMethod.GET, "/v1/videos", errors, queries::list);
        context.routes().prefix(BASE, errors, ex -> {
            String rest = ex.request().path().substring(BASE.length());
            HttpMethod method = ex.request().method();
            if (rest.endsWith("/remix") && method == HttpMethod.POST) {
                context.relay().handle(ex, form(ex) ? remixForm : remix); // the SDKs send a form
            } else if (rest.endsWith("/content") && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
                content.handle(ex, rest.substring(0, rest.length() - "/content".length()));
            } else if (!rest.isEmpty() && !rest.contains("/") && method == HttpMethod.GET) {
                queries.retrieve(ex, rest);
            } else if (!rest.isEmpty() && !rest.contains("/") && method == HttpMethod.DELETE) {
                queries.delete(ex, rest);
            } else {
                ex.fail(dev.antler.core.GatewayException.notFound("not_found", method + " " + ex.request().path()
                        + " (expected: GET|DELETE /v1/videos/{id}, POST /v1/videos/{id}/remix, GET /v1/videos/{id}/content)"));
            }
        });
    }

    /**
     * {@code POST /v1/videos} (JSON or multipart): a paid submit routed by model. Public so that a generic video
     * route (e.g. {@code /v1/video/generations}) can hand an OpenAI-format create of a model this family serves to
     * it; call after {@link #mount}.
     */
    public void create(Exchange ex) {
        ex.response().putHeader(POLL_AFTER_HEADER, POLL_AFTER_MS);
        context.relay().handle(ex, form(ex) ? multipart : json);
    }

    private static boolean form(Exchange ex) {
        String type = ex.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    /** Whether {@code model} is one whose rules this family knows (Sora and its snapshots). */
    public static boolean knows(String model) {
        return VideoModels.known(model);
    }
}

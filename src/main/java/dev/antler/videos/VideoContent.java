package dev.antler.videos;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.Exchange;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet}: the caller's completed video, streamed
 * from the upstream's {@code /v1/videos/{upstream id}/content} with the channel's key through the gateway — piped
 * with back-pressure, never held whole —, a {@code Range} passed through (206 and {@code Content-Range} back). Only
 * the content headers are forwarded; the upstream's address, key and other headers never reach the client. Before
 * completion it is a 400 {@code video_not_ready}, as OpenAI answers, never a partial file.
 */
final class VideoContent {

    static final List<String> VARIANTS = List.of("video", "thumbnail", "spritesheet");
    private static final Set<String> FORWARDED = Set.of("Content-Type", "Content-Length", "Content-Range",
            "Accept-Ranges", "Last-Modified", "ETag");

    private final FamilyContext context;
    private final VideoQueries queries;
    private final HttpClient client;

    VideoContent(FamilyContext context, VideoQueries queries) {
        this.context = context;
        this.queries = queries;
        this.client = context.relay().services().upstream();
    }

    void handle(Exchange ex, String id) {
        String variant = ex.request().getParam("variant", "video");
        if (!VARIANTS.contains(variant)) {
            ex.fail(GatewayException.badRequest("invalid_variant", "variant: " + variant + " (expected: one of "
                    + String.join(", ", VARIANTS) + ")"));
            return;
        }
        ex.request().pause();
        queries.owned(ex, id).onSuccess(owned -> {
            Task task = owned.task();
            if (task.status() != TaskStatus.SUCCESS) {
                ex.fail(GatewayException.badRequest("video_not_ready", "video_id: " + id + " is "
                        + VideoView.status(task.status()) + " (expected: a completed video; GET /v1/videos/" + id
                        + " until its status is completed)"));
                return;
            }
            Channel channel = queries.channel(task.channelId());
            if (channel == null) {
                ex.fail(new GatewayException(503, ErrorKind.NO_CHANNEL, "channel_gone", "video_id: " + id
                        + " (expected: a video whose channel still exists)"));
                return;
            }
            queries.log(ex, owned.principal(), "videos.content", VideoView.model(task), channel.id(), null);
            stream(ex, channel, task, variant);
        }).onFailure(ex::fail);
    }

    private void stream(Exchange ex, Channel channel, Task task, String variant) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(VideosFamily.AUTH.name(), VideosFamily.AUTH.value(channel));
        String range = ex.request().getHeader("Range");
        if (range != null) {
            headers.set("Range", range);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(ex.request().method() == HttpMethod.HEAD ? HttpMethod.HEAD : HttpMethod.GET)
                .setAbsoluteURI(channel.url("/v1/videos/" + task.upstreamId() + "/content?variant=" + variant))
                .setHeaders(headers).setConnectTimeout(channel.timeouts().connect())
                .setIdleTimeout(channel.timeouts().idle());
        HttpServerResponse out = ex.response();
        client.request(options).compose(request -> request.send()).onSuccess(response -> {
            int status = response.statusCode();
            if (status == 200 || status == 206 || status == 416) {
                relay(response, out);
            } else {
                response.body().onComplete(body -> ex.fail(VideoJson.upstreamError(status == 404 ? 502 : status,
                        body.succeeded() ? body.result().getBytes() : new byte[0])));
            }
        }).onFailure(e -> ex.fail(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                "upstream: " + channel.name() + " did not answer (" + e.getClass().getSimpleName() + ")")));
    }

    /** The upstream's answer, its content headers only, piped to the client (paused while the client is slow). */
    static void relay(HttpClientResponse response, HttpServerResponse out) {
        out.setStatusCode(response.statusCode());
        for (String name : FORWARDED) {
            String value = response.getHeader(name);
            if (value != null) {
                out.putHeader(name, value);
            }
        }
        if (response.getHeader("Content-Length") == null) {
            out.setChunked(true);
        }
        response.pipeTo(out); // ends the client's answer with the upstream's; a broken side resets the other
    }
}

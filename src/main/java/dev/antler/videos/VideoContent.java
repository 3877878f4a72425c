package dev.antler.videos;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.files.FileSender;
import dev.antler.http.Exchange;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet}: the caller's completed video. With
 * mirroring on and the gateway's copy kept ({@link VideoCopies}), it is sent from disk ({@link FileSender}: Range,
 * 206). Otherwise it is streamed from the upstream's {@code /v1/videos/{upstream id}/content} with the channel's
 * key through the gateway — piped with back-pressure, never held whole —, a {@code Range} passed through (206 and
 * {@code Content-Range} back), and a copy not kept yet is started again. Only the content headers are forwarded;
 * the upstream's address, key and other headers never reach the client. Before completion it is a 400
 * {@code video_not_ready}, as OpenAI answers, never a partial file; once neither the copy nor the upstream's
 * (past its {@code expires_at}) is there, a 410 {@code video_expired}.
 */
final class VideoContent {

    static final List<String> VARIANTS = List.of("video", "thumbnail", "spritesheet");
    private static final Set<String> FORWARDED = Set.of("Content-Type", "Content-Length", "Content-Range",
            "Accept-Ranges", "Last-Modified", "ETag");

    /** The caller's video, the copy kept of the variant asked (or null), and its channel (or null: gone). */
    private record Found(VideoQueries.Owned owned, VideoCopies.Copy copy, Channel channel) {}

    private final FamilyContext context;
    private final VideoQueries queries;
    private final VideoCopies copies;
    private final HttpClient client;

    VideoContent(FamilyContext context, VideoQueries queries, VideoCopies copies) {
        this.context = context;
        this.queries = queries;
        this.copies = copies;
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
        queries.owned(ex, id)
                .compose(owned -> Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> find(owned, variant),
                        context.blocking()), context.relay().services().vertx().getOrCreateContext()))
                .onSuccess(found -> serve(ex, id, variant, found))
                .onFailure(ex::fail);
    }

    /** Blocking: the copy kept and the channel; a copy not kept yet is started (again) in the background. */
    private Found find(VideoQueries.Owned owned, String variant) {
        Task task = owned.task();
        if (task.status() != TaskStatus.SUCCESS) {
            return new Found(owned, null, null);
        }
        VideoCopies.Copy copy = copies.find(task, variant).orElse(null);
        Channel channel = queries.channel(task.channelId());
        if (copy == null && channel != null && copies.kept(variant)) {
            copies.start(channel, task);
        }
        return new Found(owned, copy, channel);
    }

    private void serve(Exchange ex, String id, String variant, Found found) {
        Task task = found.owned().task();
        if (task.status() != TaskStatus.SUCCESS) {
            ex.fail(GatewayException.badRequest("video_not_ready", "video_id: " + id + " is "
                    + VideoView.status(task.status()) + " (expected: a completed video; GET /v1/videos/" + id
                    + " until its status is completed)"));
            return;
        }
        if (found.copy() != null) {
            queries.log(ex, found.owned().principal(), "videos.content", VideoView.model(task), null, null);
            FileSender.send(ex, found.copy().file(), found.copy().size(), found.copy().contentType());
            return;
        }
        Channel channel = found.channel();
        if (channel == null) {
            ex.fail(new GatewayException(503, ErrorKind.NO_CHANNEL, "channel_gone", "video_id: " + id
                    + " (expected: a video whose channel still exists)"));
            return;
        }
        queries.log(ex, found.owned().principal(), "videos.content", VideoView.model(task), channel.id(), null);
        stream(ex, channel, task, variant);
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
            } else if ((status == 404 || status == 410) && expired(task)) {
                response.body().onComplete(ignored -> ex.fail(new GatewayException(410, ErrorKind.NOT_FOUND, "video_expired", "video_id: " + task.publicId()
                        + " expired at " + Instant.ofEpochSecond(VideoView.expiresAt(task)) + " (expected: content "
                        + "downloaded before expires_at" + (copies.kept(variant) ? ", or within mirror.retention_hours"
                        + " of its completion" : "") + ")")));
            } else {
                response.body().onComplete(body -> ex.fail(VideoJson.upstreamError(status == 404 ? 502 : status,
                        body.succeeded() ? body.result().getBytes() : new byte[0])));
            }
        }).onFailure(e -> ex.fail(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                "upstream: " + channel.name() + " did not answer (" + e.getClass().getSimpleName() + ")")));
    }

    /** Whether the upstream said the video's content expires at a time now past. */
    private boolean expired(Task task) {
        Long expiresAt = VideoView.expiresAt(task);
        return expiresAt != null && expiresAt * 1000 <= context.relay().services().clock().millis();
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

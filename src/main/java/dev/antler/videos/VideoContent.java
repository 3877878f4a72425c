package dev.antler.videos;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.Exchange;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/videos/{id}/content?variant=video|thumbnail|spritesheet}: the caller's completed video, served by
 * the task engine's {@link TaskResults} (the variants are the task's result files, see {@link #resultFiles}; the
 * spritesheet is never copied): from
 * the gateway's copy with Range when mirroring kept one, else streamed from the upstream's
 * {@code /v1/videos/{upstream id}/content} with the channel's key through the gateway. Before completion it is a
 * 400 {@code video_not_ready}, as OpenAI answers, never a partial file; once neither the copy nor the upstream's
 * (past its {@code expires_at}) is there, a 410 {@code video_expired}.
 */
final class VideoContent {

    static final List<String> VARIANTS = List.of("video", "thumbnail", "spritesheet");

    private final FamilyContext context;
    private final VideoQueries queries;

    VideoContent(FamilyContext context, VideoQueries queries) {
        this.context = context;
        this.queries = queries;
    }

    /** The variants of a completed video at its upstream, fetched with the channel's key; none once it is gone. */
    static List<ResultFiles.ResultFile> resultFiles(Task task, Channel channel) {
        if (channel == null) {
            return List.of();
        }
        Map<String, String> key = Map.of(VideosFamily.AUTH.name(), VideosFamily.AUTH.value(channel));
        return VARIANTS.stream().map(variant -> {
            ResultFiles.ResultFile file = ResultFiles.ResultFile.video(channel.url("/v1/videos/" + task.upstreamId()
                    + "/content?variant=" + variant)).withHeaders(key);
            return variant.equals("spritesheet") ? file.streamedOnly() : file;
        }).toList();
    }

    void handle(Exchange ex, String id) {
        String variant = ex.request().getParam("variant", "video");
        if (!VARIANTS.contains(variant)) {
            ex.fail(GatewayException.badRequest("invalid_variant", "variant: " + variant + " (expected: one of "
                    + String.join(", ", VARIANTS) + ")"));
            return;
        }
        ex.request().pause();
        queries.owned(ex, id).onSuccess(owned -> serve(ex, id, variant, owned)).onFailure(ex::fail);
    }

    private void serve(Exchange ex, String id, String variant, VideoQueries.Owned owned) {
        Task task = owned.task();
        if (task.status() != TaskStatus.SUCCESS) {
            ex.fail(GatewayException.badRequest("video_not_ready", "video_id: " + id + " is "
                    + VideoView.status(task.status()) + " (expected: a completed video; GET /v1/videos/" + id
                    + " until its status is completed)"));
            return;
        }
        queries.log(ex, owned.principal(), "videos.content", VideoView.model(task), task.channelId(), null);
        context.tasks().results().serve(ex, task, VARIANTS.indexOf(variant), (status, body) ->
                (status == 404 || status == 410) && expired(task) ? expiredError(task)
                        : VideoJson.upstreamError(status == 404 ? 502 : status, body));
    }

    private GatewayException expiredError(Task task) {
        return new GatewayException(410, ErrorKind.NOT_FOUND, "video_expired", "video_id: " + task.publicId()
                + " expired at " + Instant.ofEpochSecond(VideoView.expiresAt(task)) + " (expected: content "
                + "downloaded before expires_at" + (context.tasks().results().mirroring()
                ? ", or within mirror.retention_hours of its completion" : "") + ")");
    }

    /** Whether the upstream said the video's content expires at a time now past. */
    private boolean expired(Task task) {
        Long expiresAt = VideoView.expiresAt(task);
        return expiresAt != null && expiresAt * 1000 <= context.relay().services().clock().millis();
    }
}

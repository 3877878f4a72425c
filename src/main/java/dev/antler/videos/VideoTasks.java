package dev.antler.videos;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Videos for the task engine: one {@code GET /v1/videos/{upstream id}} per task under the channel's timeouts. A
 * completed video reports the seconds made ({@link TaskUpdate#withUnits}), on which the charge is settled; a
 * failed one refunds (mirroring on, the engine's result copies start on completion). 429 backs the channel's
 * polling off.
 */
final class VideoTasks implements OneByOne {

    private final TaskUpstream upstream;

    VideoTasks(TaskUpstream upstream) {
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public String name() {
        return VideosFamily.NAME;
    }

    /** The upstream's view of {@code task}, or null when it gave none. */
    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        TaskUpstream.Reply reply = upstream.poll(channel, "GET", channel.url("/v1/videos/" + task.upstreamId()),
                Map.of(VideosFamily.AUTH.name(), VideosFamily.AUTH.value(channel)), null);
        JsonNode video = reply.status() == 200 ? VideoJson.parse(reply.body()) : null;
        TaskStatus status = video == null ? null : VideoView.internal(video.path("status").asString(""));
        if (status == null) {
            return null;
        }
        String payload = new String(reply.body(), StandardCharsets.UTF_8);
        String progress = Math.max(0, Math.min(100, video.path("progress").asInt(0))) + "%";
        return switch (status) {
            case SUCCESS -> {
                TaskUpdate done = new TaskUpdate(status, "100%", null, payload, null);
                Long seconds = VideoJson.seconds(video);
                yield seconds == null ? done : done.withUnits(seconds);
            }
            case FAILURE -> new TaskUpdate(status, progress, failure(video), payload, null);
            default -> new TaskUpdate(status, progress, null, payload, null);
        };
    }

    private static String failure(JsonNode video) {
        String message = video.path("error").path("message").asString("");
        return message.isBlank() ? "the video could not be made" : message;
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(VideoView.of(task));
    }
}

package dev.antler.pika;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The Pika family for the task engine: one {@code GET {base}/pika/feed/{upstream id}} per task, under the channel's
 * timeouts; 429 backs the channel off. The task's state is its videos': any {@code error} fails it (with that
 * error), all {@code finished} completes it, any {@code pending} means in progress, else queued; a video status
 * Pika does not document is no news. Progress is the videos' mean.
 */
final class PikaTasks implements OneByOne {

    static final String FAMILY = "pika";

    private final TaskUpstream upstream;

    PikaTasks(TaskUpstream upstream) {
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        TaskUpstream.Reply reply = upstream.poll(channel, "GET", channel.url("/pika/feed/" + task.upstreamId()),
                Map.of(PikaFamily.CHANNEL_TYPE.auth().name(), PikaFamily.CHANNEL_TYPE.auth().value(channel)), null);
        JsonNode feed = reply.status() == 200 ? Json.objectOrNull(reply.body()) : null;
        return feed == null ? null : update(feed);
    }

    /** A task's update from the relay's feed object, or null when it says nothing Pika documents. */
    static TaskUpdate update(JsonNode feed) {
        JsonNode videos = feed.path("videos");
        if (!videos.isArray()) {
            return null;
        }
        String payload = Json.MAPPER.writeValueAsString(feed);
        if (videos.isEmpty()) {
            return new TaskUpdate(TaskStatus.QUEUED, "0%", null, payload, null);
        }
        boolean pending = false;
        boolean queued = false;
        long progress = 0;
        for (JsonNode video : videos) {
            switch (video.path("status").asString("")) {
                case "error" -> {
                    String error = video.path("error").asString("");
                    return new TaskUpdate(TaskStatus.FAILURE, "100%", error.isBlank() ? "the video could not be made"
                            : error, payload, null);
                }
                case "pending" -> pending = true;
                case "queued" -> queued = true;
                case "finished" -> { }
                default -> {
                    return null;
                }
            }
            progress += Math.max(0, Math.min(100, video.path("progress").asInt(0)));
        }
        if (!pending && !queued) {
            return new TaskUpdate(TaskStatus.SUCCESS, "100%", null, payload, null);
        }
        String percent = progress / videos.size() + "%";
        return new TaskUpdate(pending ? TaskStatus.IN_PROGRESS : TaskStatus.QUEUED, percent, null, payload, null);
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(PikaView.feed(task, null));
    }
}

package dev.antler.videos;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.VideoDialect;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic video route's fallback: any model no other family claims becomes an OpenAI Videos create
 * ({@code {model, prompt, seconds, size, input_reference: {image_url}}}, the metadata's other fields added) routed to
 * the {@code openai} channels serving it, 404 when none does. A finished video's {@code url} is the gateway's own
 * {@code /v1/videos/{id}/content}, never the provider's. {@code fps} and {@code seed} have no OpenAI field: not sent.
 */
final class VideosDialect implements VideoDialect {

    private final VideoSubmit json;
    private final VideoTasks tasks;

    VideosDialect(VideoSubmit json, VideoTasks tasks) {
        this.json = requireNonNull(json, "json");
        this.tasks = requireNonNull(tasks, "tasks");
    }

    @Override
    public String family() {
        return VideosFamily.NAME;
    }

    @Override
    public Set<String> channelTypes() {
        return json.channelTypes();
    }

    @Override
    public boolean claims(String model) {
        return true;
    }

    @Override
    public boolean fallback() {
        return true;
    }

    @Override
    public Own<?> own(GenericVideo video, ClientRequest client) {
        if (video.duration() != null && VideoModels.known(video.model())
                && !VideoModels.SECONDS.contains(video.duration())) {
            throw GatewayException.badRequest("invalid_duration", "duration: " + video.duration() + " (expected: one of "
                    + String.join(", ", VideoModels.SECONDS) + " for " + video.model() + ")");
        }
        ObjectNode body = Json.object();
        body.put("model", video.model());
        if (video.prompt() != null) {
            body.put("prompt", video.prompt());
        }
        if (video.duration() != null) {
            body.put("seconds", video.duration());
        }
        if (video.size() != null) {
            body.put("size", video.size());
        }
        if (video.image() != null) {
            body.putObject("input_reference").put("image_url", video.image());
        }
        video.metadata().properties().forEach(field -> {
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        return new Own<>(json, client.postedAs("/v1/videos", Json.bytes(body)));
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return tasks.fetch(channel, task);
    }

    @Override
    public ObjectNode view(Task task, String publicBaseUrl) {
        ObjectNode video = VideoView.of(task);
        ObjectNode out = Json.object();
        if (task.status() == TaskStatus.SUCCESS) {
            out.put("url", publicBaseUrl + VideosFamily.BASE + task.publicId() + "/content");
        } else {
            out.putNull("url");
        }
        out.put("format", "mp4");
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("duration", Long.parseLong(video.path("seconds").asString("0")));
        metadata.putNull("fps");
        String[] size = video.path("size").asString("").split("x");
        if (size.length == 2) {
            metadata.put("width", Integer.parseInt(size[0]));
            metadata.put("height", Integer.parseInt(size[1]));
        } else {
            metadata.putNull("width");
            metadata.putNull("height");
        }
        metadata.putNull("seed");
        JsonNode error = video.path("error");
        if (error.isObject()) {
            out.set("error", error);
        } else {
            out.putNull("error");
        }
        return out;
    }
}

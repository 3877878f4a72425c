package dev.antler.pika;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.VideoDialect;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic video route for {@code pika-<model>} models ({@code pika-1.5}, ...): {@code {prompt, image, size, fps}}
 * as Pika's {@code {promptText, image, options{aspectRatio: width / height, frameRate}}} (the metadata's fields
 * added: {@code pikaffect}, {@code options.parameters}, ...), checked and billed as Pika's own route does. A Pika
 * video is as long as its model makes it: a {@code duration} is refused, not ignored. {@code seed} has no Pika field.
 */
final class PikaDialect implements VideoDialect {

    private final PikaSubmit submit;
    private final PikaTasks tasks;

    PikaDialect(PikaSubmit submit, PikaTasks tasks) {
        this.submit = requireNonNull(submit, "submit");
        this.tasks = requireNonNull(tasks, "tasks");
    }

    @Override
    public String family() {
        return PikaTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(PikaFamily.CHANNEL_TYPE.name());
    }

    @Override
    public boolean claims(String model) {
        return model.startsWith(PikaInput.GATEWAY_PREFIX);
    }

    @Override
    public Own<?> own(GenericVideo video, ClientRequest client) {
        if (video.duration() != null) {
            throw PikaInput.bad("duration", video.duration(), "none for a Pika model: its videos are as long as "
                    + "the model makes them");
        }
        ObjectNode body = video.metadata().deepCopy();
        body.put("model", video.model().substring(PikaInput.GATEWAY_PREFIX.length()));
        if (video.prompt() != null) {
            body.put("promptText", video.prompt());
        }
        if (video.image() != null) {
            body.put("image", video.image());
        }
        if (video.size() != null || video.fps() != null) {
            JsonNode given = body.path("options");
            ObjectNode options = given.isObject() ? (ObjectNode) given : body.putObject("options");
            if (video.size() != null) {
                options.put("aspectRatio", (double) video.width() / video.height());
            }
            if (video.fps() != null) {
                options.put("frameRate", video.fps());
            }
        }
        return new Own<>(submit, client.postedAs(PikaSubmit.PATH, Json.bytes(body)));
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return tasks.fetch(channel, task);
    }

    @Override
    public ObjectNode view(Task task, String publicBaseUrl) {
        JsonNode first = PikaFiles.videos(task).path(0);
        ObjectNode out = Json.object();
        String link = PikaFiles.link(task, 0, "resultUrl", publicBaseUrl);
        if (link != null) {
            out.put("url", link); // the gateway's, never the relay's
        } else {
            out.putNull("url");
        }
        out.put("format", "mp4");
        ObjectNode metadata = out.putObject("metadata");
        put(metadata, "duration", first.path("duration"));
        metadata.putNull("fps");
        metadata.putNull("width");
        metadata.putNull("height");
        put(metadata, "seed", first.path("seed"));
        if (task.status().refunds()) {
            ObjectNode error = out.putObject("error");
            error.put("code", "video_generation_failed");
            error.put("message", task.failReason() == null ? "the video could not be made" : task.failReason());
        } else {
            out.putNull("error");
        }
        return out;
    }

    private static void put(ObjectNode node, String field, JsonNode value) {
        if (value.isNumber()) {
            node.set(field, value);
        } else {
            node.putNull(field);
        }
    }
}

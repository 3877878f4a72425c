package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.tasks.ResultLinks;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.VideoDialect;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic video route for {@code kling-*} models: {@code {model_name, prompt, image, duration, aspect_ratio}}
 * (the metadata's other fields added: {@code mode}, {@code negative_prompt}, {@code image_tail}, ...) sent as an
 * image2video when an image (or {@code image_tail}) is given, else as a text2video, checked and billed as Kling's
 * own route does. A size becomes the text2video's {@code aspect_ratio} (16:9, 9:16 or 1:1); an image2video takes
 * its image's. {@code fps} and {@code seed} have no Kling field: not sent. The {@code url} is Kling's result URL
 * (not mirrored).
 */
final class KlingDialect implements VideoDialect {

    private final Map<KlingAction, KlingSubmit> submits;
    private final KlingTasks tasks;

    KlingDialect(Map<KlingAction, KlingSubmit> submits, KlingTasks tasks) {
        this.submits = requireNonNull(submits, "submits");
        this.tasks = requireNonNull(tasks, "tasks");
    }

    @Override
    public String family() {
        return KlingTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(KlingFamily.CHANNEL_TYPE.name());
    }

    @Override
    public boolean claims(String model) {
        return model.startsWith("kling-");
    }

    @Override
    public Own<?> own(GenericVideo video, ClientRequest client) {
        ObjectNode body = Json.object();
        body.put("model_name", video.model());
        if (video.prompt() != null) {
            body.put("prompt", video.prompt());
        }
        if (video.image() != null) {
            body.put("image", video.image());
        }
        if (video.duration() != null) {
            body.put("duration", video.duration());
        }
        video.metadata().properties().forEach(field -> {
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        KlingAction action = body.has("image") || body.has("image_tail") ? KlingAction.IMAGE2VIDEO
                : KlingAction.TEXT2VIDEO;
        if (action == KlingAction.TEXT2VIDEO && video.size() != null) {
            body.put("aspect_ratio", ratio(video.size(), video.width(), video.height()));
        }
        return new Own<>(submits.get(action), client.postedAs("/kling" + action.submitPath(), Json.bytes(body)));
    }

    /** {@code size} as one of Kling's video aspect ratios. */
    private static String ratio(String size, int width, int height) {
        int gcd = BigInteger.valueOf(width).gcd(BigInteger.valueOf(height)).intValue();
        String ratio = width / gcd + ":" + height / gcd;
        if (!KlingInput.VIDEO_RATIOS.contains(ratio)) {
            throw GatewayException.badRequest("invalid_request", "size: " + size + " (expected: a "
                    + String.join(", ", KlingInput.VIDEO_RATIOS) + " size for a Kling model, e.g. 1280x720)");
        }
        return ratio;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return tasks.fetch(channel, task);
    }

    @Override
    public ObjectNode view(Task task, String publicBaseUrl) {
        JsonNode made = task.payload() == null ? Json.object()
                : Json.MAPPER.readTree(task.payload()).path("task_result").path("videos").path(0);
        ObjectNode out = Json.object();
        String link = made.path("url").isString() ? ResultLinks.link(task, publicBaseUrl, 0) : null;
        if (task.status() == TaskStatus.SUCCESS && link != null) {
            out.put("url", link); // the gateway's, never Kling's
        } else {
            out.putNull("url");
        }
        out.put("format", "mp4");
        ObjectNode metadata = out.putObject("metadata");
        // The seconds billed, or, for a task priced per Kling unit, the seconds asked.
        metadata.put("duration", KlingTasks.perUnit(task) ? KlingTasks.facts(task).path("seconds").asLong()
                : task.charge().units());
        metadata.putNull("fps");
        metadata.putNull("width");
        metadata.putNull("height");
        metadata.putNull("seed");
        if (task.status().refunds()) {
            ObjectNode error = out.putObject("error");
            error.put("code", "video_generation_failed");
            error.put("message", task.failReason() == null ? "the video could not be made" : task.failReason());
        } else {
            out.putNull("error");
        }
        return out;
    }
}

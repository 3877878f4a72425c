package dev.antler.minimax;

import static dev.antler.minimax.MiniMaxInput.bad;
import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.minimax.MiniMaxModels.Model;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.VideoDialect;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic video route for MiniMax's models ({@link MiniMaxModels}): {@code {model, prompt, image, duration,
 * size}} (the metadata's other fields added: {@code resolution}, {@code prompt_optimizer}, ...) becomes MiniMax's own
 * request and goes through that API's own submit, so it is checked, priced and settled as the native route's.
 * V1 models take {@code image} as {@code first_frame_image} and a size's short side as the resolution (1280x720 is
 * 720P); MiniMax-H3 takes the prompt and image as {@code content} items (the image a first frame) and a size's
 * aspect ratio as {@code ratio}. {@code fps} and {@code seed} have no MiniMax field: not sent. The {@code url} is
 * the gateway's result link.
 */
final class MiniMaxDialect implements VideoDialect {

    private final Map<MiniMaxApi, MiniMaxSubmit> submits;
    private final MiniMaxTasks tasks;
    private final TaskResults results;

    MiniMaxDialect(Map<MiniMaxApi, MiniMaxSubmit> submits, MiniMaxTasks tasks, TaskResults results) {
        this.submits = requireNonNull(submits, "submits");
        this.tasks = requireNonNull(tasks, "tasks");
        this.results = requireNonNull(results, "results");
    }

    @Override
    public String family() {
        return MiniMaxTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(MiniMaxFamily.CHANNEL_TYPE.name());
    }

    @Override
    public boolean claims(String model) {
        return MiniMaxModels.find(model).isPresent();
    }

    @Override
    public Own<?> own(GenericVideo video, ClientRequest client) {
        Model model = MiniMaxModels.find(video.model()).orElseThrow();
        ObjectNode body = Json.object();
        body.put("model", model.name());
        if (video.duration() != null) {
            body.put("duration", seconds(video.duration()));
        }
        if (model.api() == MiniMaxApi.V1) {
            if (video.prompt() != null) {
                body.put("prompt", video.prompt());
            }
            if (video.image() != null) {
                body.put("first_frame_image", video.image());
            }
            if (video.size() != null && !video.metadata().has("resolution")) {
                body.put("resolution", resolution(model, video));
            }
        } else {
            var content = body.putArray("content");
            if (video.prompt() != null) {
                content.addObject().put("type", "text").put("text", video.prompt());
            }
            if (video.image() != null) {
                ObjectNode image = content.addObject().put("type", "image_url");
                image.putObject("image_url").put("url", video.image());
                image.put("role", "first_frame");
            }
            if (video.size() != null && !video.metadata().has("ratio")) {
                body.put("ratio", ratio(video));
            }
        }
        video.metadata().properties().forEach(field -> {
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        return new Own<>(submits.get(model.api()), client.postedAs("/minimax" + model.api().submitPath, Json.bytes(body)));
    }

    /** The generic duration (a string) as MiniMax's integer; the model check names the allowed values. */
    private static int seconds(String duration) {
        try {
            return (int) Math.round(Double.parseDouble(duration));
        } catch (NumberFormatException e) {
            throw bad("duration", duration, "a number of seconds");
        }
    }

    /** A V1 model's resolution for a size: its short side, e.g. 1280x720 is 720P. */
    private static String resolution(Model model, GenericVideo video) {
        String resolution = Math.min(video.width(), video.height()) + "P";
        if (!model.durations().containsKey(resolution)) {
            throw bad("size", video.size(), "a size whose short side is one of " + String.join(", ",
                    model.resolutions()).replace("P", "") + " for " + model.name() + ", e.g. 1280x720");
        }
        return resolution;
    }

    /** MiniMax-H3's ratio for a size, e.g. 1280x720 is 16:9. */
    private static String ratio(GenericVideo video) {
        int gcd = BigInteger.valueOf(video.width()).gcd(BigInteger.valueOf(video.height())).intValue();
        String ratio = video.width() / gcd + ":" + video.height() / gcd;
        if (ratio.equals("64:27")) {
            ratio = "21:9"; // 2560x1080 and the like
        }
        if (!MiniMaxV2Input.RATIOS.contains(ratio)) {
            throw bad("size", video.size(), "a size of ratio " + String.join(", ", MiniMaxV2Input.RATIOS.subList(1,
                    MiniMaxV2Input.RATIOS.size())) + " for MiniMax-H3, e.g. 1280x720");
        }
        return ratio;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return tasks.fetch(channel, task);
    }

    @Override
    public ObjectNode view(Task task, String publicBaseUrl) {
        JsonNode made = MiniMaxView.payload(task);
        JsonNode facts = MiniMaxView.facts(task);
        ObjectNode out = Json.object();
        String link = task.status() == TaskStatus.SUCCESS ? results.link(task, 0) : null;
        if (link != null) {
            out.put("url", link);
        } else {
            out.putNull("url");
        }
        out.put("format", "mp4");
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("duration", made.path("duration").asInt(facts.path("duration").asInt(0)));
        metadata.putNull("fps");
        if (made.path("video_width").asInt(0) > 0) {
            metadata.put("width", made.path("video_width").asInt());
            metadata.put("height", made.path("video_height").asInt());
        } else {
            metadata.putNull("width");
            metadata.putNull("height");
        }
        metadata.putNull("seed");
        if (task.status().refunds()) {
            ObjectNode error = out.putObject("error");
            error.put("code", "video_generation_failed");
            error.put("message", MiniMaxView.reason(task));
        } else {
            out.putNull("error");
        }
        return out;
    }
}

package dev.antler.luma;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.VideoDialect;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic video route for Luma's models ({@code ray-2}, {@code ray-flash-2}, {@code ray-1-6}): {@code {model,
 * prompt, image, duration, size}} as an official generation — the image its first keyframe, a duration of 5 or 9
 * its {@code 5s}/{@code 9s}, a size its aspect ratio and (by its short side: 540, 720, 1080, 2160) its resolution —
 * the metadata's fields added ({@code loop}, {@code concepts}, {@code keyframes}, ...), checked and billed as
 * Luma's own route does. {@code fps} and {@code seed} have no Luma field: not sent.
 */
final class LumaDialect implements VideoDialect {

    private static final Map<Integer, String> RESOLUTIONS = Map.of(540, "540p", 720, "720p", 1080, "1080p",
            2160, "4k");

    private final LumaSubmit submit;
    private final LumaTasks tasks;

    LumaDialect(LumaSubmit submit, LumaTasks tasks) {
        this.submit = requireNonNull(submit, "submit");
        this.tasks = requireNonNull(tasks, "tasks");
    }

    @Override
    public String family() {
        return LumaTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(LumaFamily.CHANNEL_TYPE.name());
    }

    @Override
    public boolean claims(String model) {
        return LumaModel.of(model).isPresent();
    }

    @Override
    public Own<?> own(GenericVideo video, ClientRequest client) {
        ObjectNode body = Json.object();
        body.put("model", video.model());
        if (video.prompt() != null) {
            body.put("prompt", video.prompt());
        }
        if (video.image() != null) {
            if (!video.image().matches("(?i)https?://\\S+")) {
                throw LumaFields.bad("image", video.image().length() > 40 ? video.image().substring(0, 40) + "..."
                        : video.image(), "an http(s) URL of an image for a Luma model; Luma's API takes no base64");
            }
            body.putObject("keyframes").putObject("frame0").put("type", "image").put("url", video.image());
        }
        if (video.duration() != null) {
            body.put("duration", video.duration().endsWith("s") ? video.duration() : video.duration() + "s");
        }
        if (video.size() != null) {
            body.put("aspect_ratio", ratio(video));
            body.put("resolution", resolution(video));
        }
        video.metadata().properties().forEach(field -> {
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        return new Own<>(submit, client.postedAs(LumaFamily.OFFICIAL, Json.bytes(body)));
    }

    private static String ratio(GenericVideo video) {
        int gcd = BigInteger.valueOf(video.width()).gcd(BigInteger.valueOf(video.height())).intValue();
        String ratio = video.width() / gcd + ":" + video.height() / gcd;
        if (!LumaModel.ASPECT_RATIOS.contains(ratio)) {
            throw LumaFields.bad("size", video.size(), "a size of aspect ratio " + String.join(", ",
                    LumaModel.ASPECT_RATIOS) + " for a Luma model, e.g. 1280x720");
        }
        return ratio;
    }

    private static String resolution(GenericVideo video) {
        String resolution = RESOLUTIONS.get(Math.min(video.width(), video.height()));
        if (resolution == null) {
            throw LumaFields.bad("size", video.size(), "a short side of 540, 720, 1080 or 2160 pixels for a Luma "
                    + "model, e.g. 1280x720");
        }
        return resolution;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return tasks.fetch(channel, task);
    }

    @Override
    public ObjectNode view(Task task, String publicBaseUrl) {
        ObjectNode out = Json.object();
        String link = LumaAssets.link(task, "video", publicBaseUrl);
        if (link != null) {
            out.put("url", link); // the gateway's, never Luma's
        } else {
            out.putNull("url");
        }
        out.put("format", "mp4");
        ObjectNode metadata = out.putObject("metadata");
        String duration = LumaView.facts(task).path("duration").asString("5s");
        metadata.put("duration", Integer.parseInt(duration.replace("s", "")));
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

package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.VideoDialect;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic video route for Runway's own models (gen4.5, gen4_turbo, gen4_aleph, aleph2; the Veo models Runway also
 * serves keep their names for the families that own them): {@code {model, prompt, image, duration, size, seed}} (the
 * metadata's other fields added, e.g. {@code audio}, {@code contentModeration}, an aleph's {@code videoUri}) becomes
 * Runway's image_to_video when an image is given, its video_to_video for an aleph model, else its text_to_video —
 * checked, held and settled as Runway's own routes do. A size becomes the model's {@code ratio} of that shape (the
 * model's first when none is given); {@code fps} has no Runway field. The {@code url} is the gateway's result link.
 */
final class RunwayDialect implements VideoDialect {

    static final Set<String> MODELS = Set.of("gen4.5", "gen4_turbo", "gen4_aleph", "aleph2");

    private final Map<RunwayEndpoint, RunwaySubmit> submits;
    private final RunwayTasks tasks;
    private final Links links;

    RunwayDialect(Map<RunwayEndpoint, RunwaySubmit> submits, RunwayTasks tasks, Links links) {
        this.submits = requireNonNull(submits, "submits");
        this.tasks = requireNonNull(tasks, "tasks");
        this.links = requireNonNull(links, "links");
    }

    @Override
    public String family() {
        return RunwayTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(RunwayFamily.OFFICIAL.name());
    }

    @Override
    public boolean claims(String model) {
        return MODELS.contains(model);
    }

    @Override
    public Own<?> own(GenericVideo video, ClientRequest client) {
        RunwayEndpoint endpoint = video.model().contains("aleph") ? RunwayEndpoint.VIDEO_TO_VIDEO
                : video.image() != null ? RunwayEndpoint.IMAGE_TO_VIDEO : RunwayEndpoint.TEXT_TO_VIDEO;
        ObjectNode body = Json.object();
        body.put("model", video.model());
        if (video.prompt() != null) {
            body.put("promptText", video.prompt());
        }
        if (endpoint == RunwayEndpoint.IMAGE_TO_VIDEO) {
            body.put("promptImage", video.image());
        }
        if (video.duration() != null) {
            try {
                body.put("duration", Integer.parseInt(video.duration().strip()));
            } catch (NumberFormatException e) {
                throw BadField.of("duration", video.duration(), "whole seconds for " + video.model());
            }
        }
        if (video.seed() != null) {
            body.put("seed", video.seed());
        }
        RunwayModels.Rule rule = RunwayModels.rule(endpoint, video.model()).orElse(null);
        if (rule != null && !rule.ratios().isEmpty() && (video.size() != null || rule.ratioNeeded())) {
            body.put("ratio", ratio(video, rule.ratios()));
        }
        video.metadata().properties().forEach(field -> {
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        });
        return new Own<>(submits.get(endpoint), client.postedAs("/runway/v1/" + endpoint.path, Json.bytes(body)));
    }

    /** The size asked as one of {@code ratios} of the same shape; the first when no size is asked. */
    private static String ratio(GenericVideo video, List<String> ratios) {
        if (video.size() == null) {
            return ratios.get(0);
        }
        String exact = video.width() + ":" + video.height();
        if (ratios.contains(exact)) {
            return exact;
        }
        String shape = shape(video.width(), video.height());
        for (String ratio : ratios) {
            String[] wh = ratio.split(":");
            if (shape(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])).equals(shape)) {
                return ratio;
            }
        }
        throw BadField.of("size", video.size(), "a size of the shape of one of " + String.join(", ", ratios)
                + " for " + video.model() + ", e.g. " + ratios.get(0).replace(':', 'x'));
    }

    private static String shape(int width, int height) {
        int gcd = BigInteger.valueOf(width).gcd(BigInteger.valueOf(height)).intValue();
        return width / gcd + ":" + height / gcd;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return tasks.fetch(channel, task);
    }

    @Override
    public ObjectNode view(Task task, String publicBaseUrl) {
        ObjectNode out = Json.object();
        String link = task.status() == TaskStatus.SUCCESS ? links.link(task, 0) : null;
        out.put("url", link);
        out.put("format", "mp4");
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("duration", task.charge().units());
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

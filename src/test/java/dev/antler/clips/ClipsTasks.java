package dev.antler.clips;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The clips family for the task engine: one {@code GET /v/{id}} per task, answered
 * {@code {"status": "queued" | "running" | "succeeded" | "failed", "seconds_made": 6, "error": "..."}}. A
 * success reports the seconds made ({@link TaskUpdate#withUnits}), on which the engine settles the charge.
 */
final class ClipsTasks implements OneByOne {

    private final TaskUpstream upstream;

    ClipsTasks(TaskUpstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return ClipsFamily.NAME;
    }

    /** The upstream's view of {@code task}, or null when it did not give one. */
    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        TaskUpstream.Reply reply = upstream.call(channel, "GET", channel.url("/v/" + task.upstreamId()),
                Map.of(ClipsFamily.CHANNEL_TYPE.auth().name(), ClipsFamily.CHANNEL_TYPE.auth().value(channel)), null);
        if (reply.status() == 429) {
            throw new UpstreamBusy("channel " + channel.name() + " answered 429");
        }
        JsonNode view = reply.status() == 200 ? ClipsSubmit.parse(reply.body()) : null;
        if (view == null) {
            return null;
        }
        String payload = new String(reply.body(), StandardCharsets.UTF_8);
        return switch (view.path("status").asString("")) {
            case "queued" -> new TaskUpdate(TaskStatus.QUEUED, "0%", null, payload, null);
            case "running" -> new TaskUpdate(TaskStatus.IN_PROGRESS, "50%", null, payload, null);
            case "succeeded" -> new TaskUpdate(TaskStatus.SUCCESS, "100%", null, payload, null)
                    .withUnits(view.path("seconds_made").asLong(0));
            case "failed" -> new TaskUpdate(TaskStatus.FAILURE, "100%", view.path("error").asString("failed"), payload,
                    null);
            default -> null;
        };
    }

    @Override
    public byte[] render(Task task) {
        JsonNode request = Json.MAPPER.readTree(task.request());
        return render(task, request.path("seconds").asInt());
    }

    /** The client's view: the gateway's id, never the upstream's. */
    static byte[] render(Task task, int secondsAsked) {
        ObjectNode out = Json.object();
        out.put("id", task.publicId());
        out.put("status", task.status().name().toLowerCase());
        out.put("seconds", secondsAsked);
        if (task.status() == TaskStatus.SUCCESS) {
            out.put("seconds_charged", task.charge().units());
        }
        if (task.failReason() != null) {
            out.put("error", task.failReason());
        }
        return Json.bytes(out);
    }
}

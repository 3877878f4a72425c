package dev.antler.midjourney;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskUpdate;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Midjourney family for the task engine: batch polls through {@code list-by-condition}. */
final class MjTasks implements TaskFamily {

    static final String FAMILY = "midjourney";

    private final MjUpstream upstream;

    MjTasks(MjUpstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return FAMILY;
    }

    /**
     * Not written to the usage log: this is the gateway's own background work, not a client's request
     * (no user or key to log it under), and one row per channel per poll interval would flood the log with
     * rows that carry no cost and no caller. Poll failures go to the application log instead.
     */
    @Override
    public Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
        ObjectNode query = Json.object();
        ArrayNode ids = query.putArray("ids");
        tasks.forEach(t -> ids.add(t.upstreamId()));
        MjUpstream.Reply reply = upstream.post(channel, "/mj/task/list-by-condition", Buffer.buffer(Json.bytes(query)));
        if (reply.status() == 429) {
            throw new UpstreamBusy("channel " + channel.name() + " answered 429");
        }
        if (reply.status() / 100 != 2) {
            throw new IllegalStateException("list-by-condition: HTTP " + reply.status() + " (expected: 200)");
        }
        Map<String, TaskUpdate> updates = new HashMap<>();
        for (JsonNode node : Json.MAPPER.readTree(reply.body().getBytes())) {
            String id = node.path("id").asString("");
            if (!id.isEmpty()) {
                updates.put(id, MjTaskView.update(node));
            }
        }
        return updates;
    }

    /** One task's upstream view ({@code GET /mj/task/{id}/fetch}), or null if the upstream did not answer it. */
    TaskUpdate fetch(Channel channel, Task task) {
        MjUpstream.Reply reply = upstream.get(channel, "/mj/task/" + task.upstreamId() + "/fetch");
        if (reply.status() != 200 || reply.body().length() == 0) {
            return null;
        }
        JsonNode node = Json.MAPPER.readTree(reply.body().getBytes());
        return node.isObject() && node.hasNonNull("status") ? MjTaskView.update(node) : null;
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(MjTaskView.render(task));
    }
}

package dev.antler.midjourney;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskEngine;
import dev.antler.tasks.TaskUpdate;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The read side: fetch, list-by-condition, image-seed and the image proxy. Free of charge. */
final class MjQueries {

    private static final int MAX_IDS = 100;

    private final TaskEngine engine;
    private final MjTasks family;
    private final MjUpstream upstream;
    private final ChannelRegistry channels;

    MjQueries(TaskEngine engine, MjTasks family, MjUpstream upstream, ChannelRegistry channels) {
        this.engine = engine;
        this.family = family;
        this.upstream = upstream;
        this.channels = channels;
    }

    /** The caller's own task, or 404 (another user's task is indistinguishable from an unknown one). */
    Task own(Principal principal, String publicId) {
        return engine.store().find(publicId)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(MjTasks.FAMILY))
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "taskId: " + publicId
                        + " (expected: the id of one of your Midjourney tasks)"));
    }

    /** {@code GET /mj/task/{id}/fetch}: an unfinished task is refreshed from the upstream first. */
    Buffer fetch(Principal principal, String publicId) {
        Task task = refreshed(own(principal, publicId));
        return Buffer.buffer(Json.bytes(MjTaskView.render(task)));
    }

    Task refreshed(Task task) {
        if (task.status().terminal()) {
            return task;
        }
        Optional<Channel> channel = channel(task.channelId());
        if (channel.isEmpty()) {
            return task;
        }
        try {
            TaskUpdate update = family.fetch(channel.get(), task);
            if (update != null) {
                engine.apply(task, update);
            }
        } catch (RuntimeException e) {
            // The stored state is still a true answer; the poller will catch up.
        }
        return engine.store().find(task.id()).orElse(task);
    }

    /** {@code POST /mj/task/list-by-condition} with {@code {"ids": [...]}}: the caller's tasks among them. */
    Buffer list(Principal principal, ObjectNode body) {
        JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray() || ids.size() > MAX_IDS) {
            throw GatewayException.badRequest("invalid_ids", "ids: " + (ids == null ? "missing" : ids.size() + " ids")
                    + " (expected: an array of up to " + MAX_IDS + " task ids)");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode id : ids) {
            engine.store().find(id.asString(""))
                    .filter(t -> t.userId() == principal.user().id() && t.family().equals(MjTasks.FAMILY))
                    .ifPresent(t -> out.add(MjTaskView.render(t)));
        }
        return Buffer.buffer(Json.bytes(out));
    }

    /** {@code GET /mj/task/{id}/image-seed}: asked of the task's upstream. */
    Buffer imageSeed(Principal principal, String publicId) {
        Task task = own(principal, publicId);
        Channel channel = channel(task.channelId()).orElseThrow(() -> GatewayException.notFound("task_not_found",
                "taskId: " + publicId + " (expected: a task whose channel still exists)"));
        MjUpstream.Reply reply = upstream.get(channel, "/mj/task/" + task.upstreamId() + "/image-seed");
        JsonNode answer = reply.status() == 200 ? Json.MAPPER.readTree(reply.body().getBytes()) : null;
        ObjectNode out = Json.object();
        out.put("code", answer == null ? 9 : answer.path("code").asInt(9));
        out.put("description", answer == null ? "upstream answered HTTP " + reply.status()
                : answer.path("description").asString(""));
        out.set("result", answer == null ? null : answer.get("result"));
        return Buffer.buffer(Json.bytes(out));
    }

    /** {@code GET /mj/image/{id}}: the task's image, fetched from where the upstream keeps it. */
    MjUpstream.Reply image(String publicId) {
        Task task = engine.store().find(publicId).filter(t -> t.family().equals(MjTasks.FAMILY))
                .orElseThrow(() -> GatewayException.notFound("image_not_found", "id: " + publicId
                        + " (expected: the id of a Midjourney task with an image)"));
        String url = MjTaskView.payload(task).path("imageUrl").asString("");
        if (url.isBlank()) {
            throw GatewayException.notFound("image_not_found", "id: " + publicId + " has no image yet (expected: a "
                    + "task in SUCCESS status)");
        }
        MjUpstream.Reply reply = upstream.fetchUrl(url);
        if (reply.status() != 200) {
            throw GatewayException.notFound("image_not_found", "id: " + publicId + ": the image host answered HTTP "
                    + reply.status());
        }
        return reply;
    }

    private Optional<Channel> channel(long id) {
        return channels.all().stream().filter(c -> c.id() == id).findFirst();
    }
}

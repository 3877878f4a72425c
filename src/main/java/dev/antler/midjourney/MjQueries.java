package dev.antler.midjourney;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskReads;
import dev.antler.tasks.TaskEngine;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.TaskUpdate;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The read side: fetch, list-by-condition and image-seed. Free of charge, logged at zero cost. */
final class MjQueries {

    private static final int MAX_IDS = 100;

    private final TaskEngine engine;
    private final MjTasks family;
    private final MjUpstream upstream;
    private final ChannelRegistry channels;
    private final TaskReads log;
    private final TaskRefresh refresh;

    MjQueries(TaskEngine engine, MjTasks family, MjUpstream upstream, ChannelRegistry channels, TaskRefresh refresh,
              TaskReads log) {
        this.refresh = refresh;
        this.engine = engine;
        this.family = family;
        this.upstream = upstream;
        this.channels = channels;
        this.log = log;
    }

    /** The caller's own task, or 404 (another user's task is indistinguishable from an unknown one). */
    Task own(Principal principal, String publicId) {
        return engine.store().find(publicId)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(MjTasks.FAMILY))
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "taskId: " + publicId
                        + " (expected: the id of one of your Midjourney tasks)"));
    }

    /** {@code GET /mj/task/{id}/fetch}: an unfinished task is refreshed from the upstream first. */
    Buffer fetch(Principal principal, String publicId, Exchange ex) {
        Task task = own(principal, publicId);
        TaskRefresh.Refreshed refreshed = refresh.refresh(task, family::fetch);
        log.log(ex.requestId(), principal.user().id(), principal.key().id(), "mj.fetch", MjTasks.FAMILY, refreshed.channelId(), 200,
                ex.elapsedMillis(), "complete", refreshed.error());
        return Buffer.buffer(Json.bytes(MjTaskView.render(refreshed.task())));
    }

    /**
     * {@code POST /mj/task/list-by-condition} with {@code {"ids": [...]}}: the caller's tasks among them,
     * answered from the store (the poller keeps it current), so no upstream is asked.
     */
    Buffer list(Principal principal, ObjectNode body, Exchange ex) {
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
        log.log(ex.requestId(), principal.user().id(), principal.key().id(), "mj.list", MjTasks.FAMILY, null, 200,
                ex.elapsedMillis(), "complete", null);
        return Buffer.buffer(Json.bytes(out));
    }

    /** {@code GET /mj/task/{id}/image-seed}: asked of the task's upstream. */
    Buffer imageSeed(Principal principal, String publicId, Exchange ex) {
        Task task = own(principal, publicId);
        Channel channel = channel(task.channelId()).orElseThrow(() -> GatewayException.notFound("task_not_found",
                "taskId: " + publicId + " (expected: a task whose channel still exists)"));
        MjUpstream.Reply reply;
        try {
            reply = upstream.get(channel, "/mj/task/" + task.upstreamId() + "/image-seed");
        } catch (GatewayException e) {
            log.log(ex.requestId(), principal.user().id(), principal.key().id(), "mj.image_seed", MjTasks.FAMILY, channel.id(),
                    e.status(), ex.elapsedMillis(), "error", e.getMessage());
            throw e;
        }
        JsonNode answer = reply.status() == 200 ? Json.MAPPER.readTree(reply.body().getBytes()) : null;
        log.log(ex.requestId(), principal.user().id(), principal.key().id(), "mj.image_seed", MjTasks.FAMILY, channel.id(), 200,
                ex.elapsedMillis(), answer == null ? "error" : "complete",
                answer == null ? "upstream answered HTTP " + reply.status() : null);
        ObjectNode out = Json.object();
        out.put("code", answer == null ? 9 : answer.path("code").asInt(9));
        out.put("description", answer == null ? "upstream answered HTTP " + reply.status()
                : answer.path("description").asString(""));
        out.set("result", answer == null ? null : answer.get("result"));
        return Buffer.buffer(Json.bytes(out));
    }

    Optional<Channel> channel(long id) {
        return channels.find(id);
    }
}

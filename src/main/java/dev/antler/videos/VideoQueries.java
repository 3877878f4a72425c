package dev.antler.videos;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.Relay;
import dev.antler.relay.RelayServices;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskReads;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.TaskEngine;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpstream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The free routes on the caller's own videos (another user's id is a 404, like an unknown one), logged at zero
 * cost: retrieve (refreshed from the upstream once while unfinished), list (from the store), delete (upstream
 * too where the channel has it; then hidden from the caller).
 */
final class VideoQueries {

    /** A list reads at most this many of a caller's videos (newest first). */
    private static final int LIST_SCAN = 10_000;

    private final Relay relay;
    private final RelayServices services;
    private final FamilyContext context;
    private final TaskEngine engine;
    private final VideoTasks tasks;
    private final TaskRefresh refresh;
    private final TaskReads reads;
    private final TaskUpstream upstream;

    VideoQueries(FamilyContext context, VideoTasks tasks) {
        this.context = context;
        this.relay = context.relay();
        this.services = relay.services();
        this.engine = context.tasks().engine();
        this.tasks = tasks;
        this.refresh = context.tasks().refresh();
        this.reads = context.tasks().reads();
        this.upstream = context.taskUpstream();
    }

    /** {@code GET /v1/videos/{id}}. */
    void retrieve(Exchange ex, String id) {
        authed(ex, principal -> {
            TaskRefresh.Refreshed refreshed = refresh.refresh(own(principal, id), tasks::fetch);
            Task task = refreshed.task();
            if (!task.status().terminal()) {
                ex.response().putHeader(VideosFamily.POLL_AFTER_HEADER, VideosFamily.POLL_AFTER_MS);
            }
            log(ex, principal, "videos.retrieve", VideoView.model(task), refreshed.channelId(), refreshed.error());
            return Json.bytes(VideoView.of(task));
        });
    }

    /** {@code GET /v1/videos?after=&limit=&order=}. */
    void list(Exchange ex) {
        authed(ex, principal -> {
            int limit = limit(ex.request().getParam("limit"));
            String order = ex.request().getParam("order", "desc");
            if (!order.equals("asc") && !order.equals("desc")) {
                throw GatewayException.badRequest("invalid_order", "order: " + order + " (expected: asc or desc)");
            }
            List<Task> all = new ArrayList<>(engine.store().list(principal.user().id(), VideosFamily.NAME, null,
                    LIST_SCAN, 0).stream().filter(t -> !t.deleted()).toList());
            all.sort(order.equals("asc") ? Comparator.comparingLong(Task::id)
                    : Comparator.comparingLong(Task::id).reversed());
            String after = ex.request().getParam("after");
            int start = 0;
            if (after != null && !after.isBlank()) {
                int at = -1;
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).publicId().equals(after)) {
                        at = i;
                        break;
                    }
                }
                if (at < 0) {
                    throw GatewayException.notFound("video_not_found", "after: " + after
                            + " (expected: the id of one of your videos)");
                }
                start = at + 1;
            }
            List<Task> page = all.subList(Math.min(start, all.size()), Math.min(start + limit, all.size()));
            ObjectNode root = Json.object();
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            page.forEach(t -> data.add(VideoView.of(t)));
            if (page.isEmpty()) {
                root.putNull("first_id");
                root.putNull("last_id");
            } else {
                root.put("first_id", page.get(0).publicId());
                root.put("last_id", page.get(page.size() - 1).publicId());
            }
            root.put("has_more", start + page.size() < all.size());
            log(ex, principal, "videos.list", null, null, null);
            return Json.bytes(root);
        });
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 20;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw GatewayException.badRequest("invalid_limit", "limit: " + limit + " (expected: 1 to 100)");
    }

    /**
     * {@code DELETE /v1/videos/{id}}: a finished video, deleted upstream (a channel without the route, or that
     * no longer knows the video, is not asked again) and hidden from the caller. An unfinished one is refused:
     * its charge is still to be settled.
     */
    void delete(Exchange ex, String id) {
        authed(ex, principal -> {
            Task task = own(principal, id);
            if (!task.status().terminal()) {
                throw GatewayException.badRequest("video_not_finished", "video_id: " + id + " is "
                        + VideoView.status(task.status()) + " (expected: a completed or failed video; delete it once "
                        + "it has finished)");
            }
            Channel channel = channel(task.channelId());
            if (channel != null) {
                TaskUpstream.Reply reply = upstream.call(channel, "DELETE",
                        channel.url("/v1/videos/" + task.upstreamId()),
                        Map.of(VideosFamily.AUTH.name(), VideosFamily.AUTH.value(channel)), null);
                int status = reply.status();
                if (status / 100 != 2 && status != 404 && status != 405 && status != 501) {
                    throw VideoJson.upstreamError(status >= 400 && status < 500 ? 502 : status, reply.body());
                }
            }
            engine.store().markDeleted(task.id(), services.clock().millis());
            log(ex, principal, "videos.delete", VideoView.model(task), channel == null ? null : channel.id(), null);
            ObjectNode root = Json.object();
            root.put("id", task.publicId());
            root.put("object", "video.deleted");
            root.put("deleted", true);
            return Json.bytes(root);
        });
    }

    /** The caller's own video {@code id}, not deleted; a 404 otherwise. */
    Task own(Principal principal, String id) {
        return engine.store().find(id)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(VideosFamily.NAME)
                        && !t.deleted())
                .orElseThrow(() -> GatewayException.notFound("video_not_found", "video_id: " + id
                        + " (expected: the id of one of your videos)"));
    }

    Channel channel(long id) {
        return services.channels().find(id).orElse(null);
    }

    /** A usage row at zero cost; {@code channelId} the channel asked, null when the store alone answered. */
    void log(Exchange ex, Principal principal, String endpoint, String model, Long channelId, String error) {
        reads.log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint,
                model == null ? VideosFamily.NAME : model, channelId, 200, ex.elapsedMillis(), "complete", error);
    }

    /** Authenticates, then runs {@code work} on a blocking thread; answers 200 with its JSON. */
    private void authed(Exchange ex, Function<Principal, byte[]> work) {
        relay.authenticated(ClientKey.of(ex.request()), principal -> work.apply(principal))
                .onSuccess(answer -> ex.json(200, Buffer.buffer(answer)))
                .onFailure(ex::fail);
    }

    /** Authenticates, then finds the caller's video on a blocking thread. */
    Future<Owned> owned(Exchange ex, String id) {
        return relay.authenticated(ClientKey.of(ex.request()), principal -> new Owned(principal, own(principal, id)));
    }

    record Owned(Principal principal, Task task) {}
}

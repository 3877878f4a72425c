package dev.antler.luma;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The Luma family for the task engine: one {@code GET {base}/dream-machine/v1/generations/{upstream id}} per task
 * (Luma has no batch query), under the channel's timeouts; 429 backs the channel off. The state is mapped by
 * {@link LumaStatus}; a failure keeps Luma's {@code failure_reason}. Webhooks carry the task in the client's format.
 */
final class LumaTasks implements OneByOne {

    static final String FAMILY = "luma";

    private final TaskUpstream upstream;

    LumaTasks(TaskUpstream upstream) {
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        TaskUpstream.Reply reply = upstream.poll(channel, "GET",
                url(channel, LumaSubmit.UPSTREAM_PATH + "/" + task.upstreamId()),
                Map.of(LumaFamily.CHANNEL_TYPE.auth().name(), LumaFamily.CHANNEL_TYPE.auth().value(channel)), null);
        JsonNode generation = reply.status() == 200 ? Json.objectOrNull(reply.body()) : null;
        return generation == null ? null : update(generation);
    }

    /** A task's update from Luma's Generation object, or null when its state is not one Luma documents. */
    static TaskUpdate update(JsonNode generation) {
        TaskStatus status = LumaStatus.toTask(generation.path("state").asString(""));
        if (status == null) {
            return null;
        }
        String payload = Json.MAPPER.writeValueAsString(generation);
        return switch (status) {
            case SUCCESS -> new TaskUpdate(status, "100%", null, payload, null);
            case FAILURE -> new TaskUpdate(status, "100%", generation.path("failure_reason").asString("failed"),
                    payload, null);
            case IN_PROGRESS -> new TaskUpdate(status, "50%", null, payload, null);
            default -> new TaskUpdate(status, "0%", null, payload, null);
        };
    }

    /**
     * Luma posts its callback when a generation is dreaming, completed or failed; an official client hears of those
     * changes only. A reverse client hears of every change, as the relays' hooks do.
     */
    @Override
    public boolean webhookWanted(Task task) {
        return LumaView.format(task) == LumaFormat.REVERSE || !LumaStatus.official(task.status()).equals("queued");
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(LumaView.render(task, null));
    }

    /**
     * {@code path} on {@code channel}; a base URL given with Luma's {@code /dream-machine/v1} (as its SDK's is) works
     * as one without.
     */
    static String url(Channel channel, String path) {
        return channel.url(path).replace("/dream-machine/v1/dream-machine/v1/", "/dream-machine/v1/");
    }
}

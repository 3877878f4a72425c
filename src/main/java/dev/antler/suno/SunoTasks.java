package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.PollStrategy;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskFamily;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Suno family for the task engine: one batch call per channel, {@code POST {base}/suno/fetch {"ids":[...]}}
 * ({@link SunoPoll}). The polls are the gateway's own background work and write no usage rows.
 */
final class SunoTasks implements TaskFamily {

    static final String FAMILY = "suno";
    /** Tasks per poll call: the upstream answers them in one JSON array. */
    static final int BATCH = 100;
    /**
     * What a task whose upstream id cannot be asked about (empty; for Udio, not a plain id) comes to: it fails and
     * is refunded. The reason does not show the id: clients never see the upstream's ids.
     */
    static final TaskUpdate NO_UPSTREAM_ID = TaskUpdate.failure("upstream task id: empty or unusable (expected: "
            + "the id the upstream answered the submit with)");

    private final SunoUpstream upstream;

    SunoTasks(SunoUpstream upstream) {
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    @Override
    public PollStrategy polling() {
        return PollStrategy.batch(BATCH);
    }

    @Override
    public Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
        Map<String, TaskUpdate> updates = new HashMap<>();
        List<String> ids = tasks.stream().map(Task::upstreamId).filter(id -> !id.isBlank()).distinct().toList();
        if (ids.size() < tasks.size()) {
            tasks.stream().map(Task::upstreamId).filter(String::isBlank).forEach(id -> updates.put(id, NO_UPSTREAM_ID));
        }
        if (!ids.isEmpty()) {
            TaskUpstream.Reply reply = upstream.post(channel, SunoPoll.BATCH_PATH, SunoPoll.batchRequest(ids));
            updates.putAll(SunoPoll.batch(reply.status(), reply.body()));
        }
        return updates;
    }

    /** One task's upstream view ({@code GET {base}/suno/fetch/{id}}), or null when the upstream did not say. */
    TaskUpdate fetch(Channel channel, Task task) {
        if (task.upstreamId().isBlank()) {
            return NO_UPSTREAM_ID;
        }
        TaskUpstream.Reply reply = upstream.get(channel, SunoPoll.singlePath(task.upstreamId()));
        return SunoPoll.single(reply.status(), reply.body());
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(SunoTaskView.render(task));
    }
}

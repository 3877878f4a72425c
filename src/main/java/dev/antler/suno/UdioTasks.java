package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.PollStrategy;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Udio family for the task engine: Udio has no batch fetch, so each task is one call,
 * {@code GET {base}/udio/fetch/{id}} ({@link UdioPoll}). A task whose upstream id cannot be asked about (empty, or
 * not a plain id) fails and is refunded.
 */
final class UdioTasks implements OneByOne {

    private static final Logger log = LoggerFactory.getLogger(UdioTasks.class);
    static final String FAMILY = "udio";

    private final SunoUpstream upstream;

    UdioTasks(SunoUpstream upstream) {
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    /**
     * One task ({@link PollStrategy#single()}). An error status about this task leaves it as it was and lets the
     * poller go on to the channel's next task (the poller stops at a failed call, which for a batch means the
     * channel's trouble but here may be one task's); a call that fails to get an answer, or a 429, still stops the
     * round for the channel.
     */
    @Override
    public Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
        Task task = tasks.get(0);
        TaskUpdate update;
        try {
            update = fetch(channel, task);
        } catch (IllegalStateException answeredWithAnError) {
            log.warn("udio poll of a task on channel {} failed: {}", channel.name(), answeredWithAnError.getMessage());
            return Map.of();
        }
        return update == null ? Map.of() : Map.of(task.upstreamId(), update);
    }

    /** The task's upstream view, or null when the upstream did not say. */
    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        if (!SunoInput.isId(task.upstreamId())) {
            return SunoTasks.NO_UPSTREAM_ID;
        }
        TaskUpstream.Reply reply = upstream.get(channel, UdioPoll.path(task.upstreamId()));
        return UdioPoll.single(reply.status(), reply.body());
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(UdioTaskView.render(task));
    }
}

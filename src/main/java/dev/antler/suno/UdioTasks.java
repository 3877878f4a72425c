package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;

/**
 * The Udio family for the task engine: Udio has no batch fetch, so each task is one call,
 * {@code GET {base}/udio/fetch/{id}} ({@link UdioPoll}). A task whose upstream id cannot be asked about (empty, or
 * not a plain id) fails and is refunded.
 */
final class UdioTasks implements OneByOne {

    static final String FAMILY = "udio";

    private final SunoUpstream upstream;

    UdioTasks(SunoUpstream upstream) {
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public String name() {
        return FAMILY;
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

package dev.antler.tasks;

import dev.antler.routing.Channel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A task family whose upstream is asked about one task per call (no batch route): its poll is its
 * {@link #fetch}, task by task, and a client's read refreshes through the same fetch ({@link TaskRefresh}).
 */
public interface OneByOne extends TaskFamily {

    /**
     * The upstream's view of {@code task}, or null when it gave none; blocking.
     *
     * @throws UpstreamBusy when the upstream answers 429
     */
    TaskUpdate fetch(Channel channel, Task task);

    @Override
    default PollStrategy polling() {
        return PollStrategy.single();
    }

    @Override
    default Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
        Map<String, TaskUpdate> updates = new HashMap<>();
        for (Task task : tasks) {
            TaskUpdate update = fetch(channel, task);
            if (update != null) {
                updates.put(task.upstreamId(), update);
            }
        }
        return updates;
    }
}

package dev.antler.tasks;

import dev.antler.routing.Channel;
import java.util.List;
import java.util.Map;

/** What the engine needs from an async family: how to ask its upstream about tasks, and how to show one. */
public interface TaskFamily {

    /** The family name stored on its tasks, e.g. {@code midjourney}. */
    String name();

    /** How the poller asks about this family's tasks: in batches, one by one, or only as a callback's fallback. */
    default PollStrategy polling() {
        return PollStrategy.batch(100);
    }

    /**
     * The upstream's current view of {@code tasks} (all on {@code channel}, at most
     * {@link PollStrategy#maxPerCall()} of them), keyed by upstream id. Tasks the upstream did not report are
     * absent.
     *
     * @throws UpstreamBusy when the upstream answers 429: polling of the channel backs off
     */
    Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks);

    /** The task as the family's clients see it: the webhook payload. */
    byte[] render(Task task);

    /** Whether this change of {@code task} is posted to its hook (e.g. only once finished, or as its filter asks). */
    default boolean webhookWanted(Task task) {
        return true;
    }

    /** Headers sent with the webhook {@code body} of {@code task} besides its content type, e.g. a signature. */
    default Map<String, String> webhookHeaders(Task task, byte[] body) {
        return Map.of();
    }

    /** The upstream asked us to slow down (HTTP 429). */
    final class UpstreamBusy extends RuntimeException {
        public UpstreamBusy(String message) {
            super(message, null, false, false);
        }
    }
}

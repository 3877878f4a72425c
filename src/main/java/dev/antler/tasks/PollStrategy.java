package dev.antler.tasks;

/**
 * How the poller asks a family's upstream about unfinished tasks.
 * <ul>
 *   <li>{@link #batch}: one call for up to {@code maxPerCall} tasks of a channel (Midjourney's
 *       {@code list-by-condition}, Suno's {@code fetch {ids}});</li>
 *   <li>{@link #single}: one call per task (providers with only a per-task status route);</li>
 *   <li>{@link #callback}: the upstream reports changes to the gateway (a webhook route of the family that
 *       applies them through the engine); a task it has not reported on for {@code fallbackMs} is polled one
 *       at a time, so a lost callback delays a task but never strands it.</li>
 * </ul>
 *
 * @param maxPerCall tasks per poll call
 * @param fallbackMs for callback-driven families, how long a task may go without news before it is polled; 0
 *                   for families polled every round
 */
public record PollStrategy(int maxPerCall, long fallbackMs) {

    public PollStrategy {
        if (maxPerCall < 1 || fallbackMs < 0) {
            throw new IllegalArgumentException("poll strategy: " + maxPerCall + " per call, fallback " + fallbackMs
                    + " ms (expected: at least 1 per call, a fallback of 0 or more)");
        }
    }

    public static PollStrategy batch(int maxPerCall) {
        return new PollStrategy(maxPerCall, 0);
    }

    public static PollStrategy single() {
        return new PollStrategy(1, 0);
    }

    public static PollStrategy callback(long fallbackMs) {
        return new PollStrategy(1, fallbackMs);
    }

    /** Whether {@code task}, last changed at {@code updatedAt}, is due a poll at {@code now}. */
    boolean due(Task task, long now) {
        return fallbackMs == 0 || now - task.updatedAt() >= fallbackMs;
    }
}

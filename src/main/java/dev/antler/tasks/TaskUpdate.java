package dev.antler.tasks;

import java.util.Objects;

/**
 * What the upstream (or the timeout sweep) says about a task now.
 *
 * @param payload   the upstream's task object (JSON) to keep, or null to keep the stored one
 * @param startedAt when the upstream started the work, or null if unknown
 * @param units     with SUCCESS: the units the upstream reports it made (seconds of video, clips, images), on
 *                  which a task priced per unit is settled; null when it does not say (the charge stands)
 */
public record TaskUpdate(TaskStatus status, String progress, String failReason, String payload, Long startedAt,
                         Long units) {

    /** An update that reports no units made. */
    public TaskUpdate(TaskStatus status, String progress, String failReason, String payload, Long startedAt) {
        this(status, progress, failReason, payload, startedAt, null);
    }

    public static TaskUpdate failure(String reason) {
        return new TaskUpdate(TaskStatus.FAILURE, null, reason, null, null);
    }

    /** This update reporting {@code made} units. */
    public TaskUpdate withUnits(long made) {
        return new TaskUpdate(status, progress, failReason, payload, startedAt, made);
    }

    /** True if applying this would change what is stored. */
    boolean changes(Task task) {
        return status != task.status() || !Objects.equals(progress, task.progress())
                || !Objects.equals(failReason, task.failReason())
                || (payload != null && !payload.equals(task.payload()));
    }
}

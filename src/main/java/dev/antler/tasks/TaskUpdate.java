package dev.antler.tasks;

import java.util.Objects;

/**
 * What the upstream (or the timeout sweep) says about a task now.
 *
 * @param payload   the upstream's task object (JSON) to keep, or null to keep the stored one
 * @param startedAt when the upstream started the work, or null if unknown
 */
public record TaskUpdate(TaskStatus status, String progress, String failReason, String payload, Long startedAt) {

    public static TaskUpdate failure(String reason) {
        return new TaskUpdate(TaskStatus.FAILURE, null, reason, null, null);
    }

    /** True if applying this would change what is stored. */
    boolean changes(Task task) {
        return status != task.status() || !Objects.equals(progress, task.progress())
                || !Objects.equals(failReason, task.failReason())
                || (payload != null && !payload.equals(task.payload()));
    }
}

package dev.antler.flux;

import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.util.Set;

/**
 * BFL's {@code status} words and the gateway's:
 * <pre>
 *   BFL                                   → gateway      gateway                       → BFL
 *   Pending (and any word of work)        → IN_PROGRESS  unfinished                    → Pending
 *   Ready                                 → SUCCESS      SUCCESS                       → Ready
 *   Request Moderated, Content Moderated  → FAILURE      FAILURE, CANCEL               → the upstream's word
 *   Error, Failed                         → FAILURE                                      when it was one of
 *   Task not found                        → (see FluxTasks)                              these three, else Error
 * </pre>
 */
final class FluxStatus {

    static final String PENDING = "Pending";
    static final String READY = "Ready";
    static final String ERROR = "Error";
    static final String REQUEST_MODERATED = "Request Moderated";
    static final String CONTENT_MODERATED = "Content Moderated";
    static final String NOT_FOUND = "Task not found";
    static final Set<String> MODERATED = Set.of(REQUEST_MODERATED, CONTENT_MODERATED);
    static final Set<String> FAILED = Set.of(ERROR, "Failed");

    private FluxStatus() {}

    /** The gateway's status for BFL's {@code word}; null for {@code Task not found}. */
    static TaskStatus toTask(String word) {
        if (READY.equals(word)) {
            return TaskStatus.SUCCESS;
        }
        if (MODERATED.contains(word) || FAILED.contains(word)) {
            return TaskStatus.FAILURE;
        }
        return NOT_FOUND.equals(word) ? null : TaskStatus.IN_PROGRESS;
    }

    /** The word BFL's clients see for {@code task}; {@code reported} is the upstream's last word (or ""). */
    static String toBfl(Task task, String reported) {
        return switch (task.status()) {
            case SUCCESS -> READY;
            case FAILURE, CANCEL -> MODERATED.contains(reported) ? reported : ERROR;
            default -> PENDING;
        };
    }
}

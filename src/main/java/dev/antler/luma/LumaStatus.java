package dev.antler.luma;

import dev.antler.tasks.TaskStatus;

/**
 * Luma's {@code state} and the gateway's:
 * <pre>
 *   Luma       → gateway       gateway                      → official   → reverse relays
 *   queued     → QUEUED        NOT_START, SUBMITTED, QUEUED → queued     → pending
 *   dreaming   → IN_PROGRESS   IN_PROGRESS, MODAL           → dreaming   → processing
 *   completed  → SUCCESS       SUCCESS                      → completed  → completed
 *   failed     → FAILURE       FAILURE, CANCEL              → failed     → failed
 * </pre>
 * Any other upstream word is no news (null): the task stays as it is and the poller asks again.
 */
final class LumaStatus {

    private LumaStatus() {}

    static TaskStatus toTask(String state) {
        return switch (state) {
            case "queued" -> TaskStatus.QUEUED;
            case "dreaming" -> TaskStatus.IN_PROGRESS;
            case "completed" -> TaskStatus.SUCCESS;
            case "failed" -> TaskStatus.FAILURE;
            default -> null;
        };
    }

    static String official(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED -> "queued";
            case IN_PROGRESS, MODAL -> "dreaming";
            case SUCCESS -> "completed";
            case FAILURE, CANCEL -> "failed";
        };
    }

    static String reverse(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED -> "pending";
            case IN_PROGRESS, MODAL -> "processing";
            case SUCCESS -> "completed";
            case FAILURE, CANCEL -> "failed";
        };
    }
}

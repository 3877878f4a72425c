package dev.antler.kling;

import dev.antler.tasks.TaskStatus;

/**
 * Kling's {@code task_status} and the gateway's:
 * <pre>
 *   Kling        → gateway        gateway                      → Kling
 *   submitted    → SUBMITTED      NOT_START, SUBMITTED, QUEUED → submitted
 *   processing   → IN_PROGRESS    IN_PROGRESS, MODAL           → processing
 *   succeed      → SUCCESS        SUCCESS                      → succeed
 *   failed       → FAILURE        FAILURE, CANCEL              → failed
 * </pre>
 * Any other upstream word is no news (null): the task stays as it is and the poller asks again.
 */
final class KlingStatus {

    private KlingStatus() {}

    static TaskStatus toTask(String kling) {
        return switch (kling) {
            case "submitted" -> TaskStatus.SUBMITTED;
            case "processing" -> TaskStatus.IN_PROGRESS;
            case "succeed" -> TaskStatus.SUCCESS;
            case "failed" -> TaskStatus.FAILURE;
            default -> null;
        };
    }

    static String toKling(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED -> "submitted";
            case IN_PROGRESS, MODAL -> "processing";
            case SUCCESS -> "succeed";
            case FAILURE, CANCEL -> "failed";
        };
    }
}

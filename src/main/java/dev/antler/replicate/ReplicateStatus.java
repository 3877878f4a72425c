package dev.antler.replicate;

import dev.antler.tasks.TaskStatus;

/**
 * Replicate's prediction statuses and the engine's: starting ↔ SUBMITTED (queued, booting), processing ↔
 * IN_PROGRESS, succeeded ↔ SUCCESS, failed ↔ FAILURE, canceled ↔ CANCEL. Replicate's {@code aborted} (ended before it
 * started, e.g. past its deadline) is a failure. Clients only ever see the five documented words.
 */
final class ReplicateStatus {

    private ReplicateStatus() {}

    /** The engine's status for Replicate's {@code word}, or null for a word Replicate does not document. */
    static TaskStatus toTask(String word) {
        return switch (word) {
            case "starting" -> TaskStatus.SUBMITTED;
            case "processing" -> TaskStatus.IN_PROGRESS;
            case "succeeded" -> TaskStatus.SUCCESS;
            case "failed", "aborted" -> TaskStatus.FAILURE;
            case "canceled" -> TaskStatus.CANCEL;
            default -> null;
        };
    }

    static String toReplicate(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED -> "starting";
            case IN_PROGRESS, MODAL -> "processing";
            case SUCCESS -> "succeeded";
            case FAILURE -> "failed";
            case CANCEL -> "canceled";
        };
    }

    static boolean terminal(String word) {
        TaskStatus status = toTask(word);
        return status != null && status.terminal();
    }
}

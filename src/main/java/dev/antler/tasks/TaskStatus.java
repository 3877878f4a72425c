package dev.antler.tasks;

/**
 * A task's state, family-neutral. Families map their own names onto these (Midjourney's are the same
 * words). SUCCESS, FAILURE and CANCEL are terminal: a task never leaves them. FAILURE and CANCEL refund
 * the charge.
 */
public enum TaskStatus {
    NOT_START,
    SUBMITTED,
    /** Accepted upstream and waiting for a worker (Suno's {@code queued}, video providers' {@code queued}). */
    QUEUED,
    IN_PROGRESS,
    /** Waiting for more input from the client (Midjourney's MODAL: a region or zoom to be given). */
    MODAL,
    SUCCESS,
    FAILURE,
    CANCEL;

    public boolean terminal() {
        return this == SUCCESS || this == FAILURE || this == CANCEL;
    }

    public boolean refunds() {
        return this == FAILURE || this == CANCEL;
    }
}

package dev.antler.tasks;

import dev.antler.core.GatewayException;

/** What an upstream's answer to a task submit means, as its family reads it. */
public sealed interface SubmitReply {

    /**
     * The upstream took the work: a task follows it.
     *
     * @param upstreamId     the upstream's id of the task (never shown to the client)
     * @param initial        the task's first status
     * @param units          the units the upstream says it will make or charges (seconds, clips), on which the
     *                       charge is set; null to charge the units held; 0 when it is no new work (the upstream
     *                       already had this task): nothing is charged
     * @param upstreamAnswer the upstream's answer, for the family's rendering of the client's
     */
    record Accepted(String upstreamId, TaskStatus initial, Long units, byte[] upstreamAnswer) implements SubmitReply {

        /** Accepted, charged the units held. */
        public static Accepted of(String upstreamId, TaskStatus initial, byte[] upstreamAnswer) {
            return new Accepted(upstreamId, initial, null, upstreamAnswer);
        }
    }

    /**
     * The upstream did not take the work and said so in the family's own shape (Midjourney's code 23, queue
     * full): nothing is charged, and the client gets {@code answer} with {@code status}.
     *
     * @param why for the usage log
     */
    record Refused(int status, byte[] answer, String why) implements SubmitReply {}

    /**
     * The upstream failed the submit (an error status, an answer that is not the family's): nothing is charged,
     * and the client gets {@code error} in the family's envelope.
     *
     * @param tryElsewhere the upstream cannot have accepted it and another channel may (see {@link #retryable}):
     *                     the chain tries the next channel while one is left
     */
    record Failed(GatewayException error, boolean tryElsewhere) implements SubmitReply {

        /** Whether an upstream's HTTP {@code status} says it did not take a submit and another channel may. */
        public static boolean retryable(int status) {
            return status == 429 || status == 503;
        }
    }

    /**
     * Answered at once, with no task to follow (Midjourney's image upload); charged as held when
     * {@code charged}.
     */
    record Answered(byte[] answer, boolean charged) implements SubmitReply {}
}

package dev.antler.tasks;

/**
 * One stored task. {@code publicId} is what clients see; {@code upstreamId} is the provider's id and is
 * never shown to clients.
 *
 * @param charge  what the task is charged and where its charge, refund and settlement stand
 * @param request the family's client-side facts kept for rendering (JSON), e.g. prompt, state, base URL
 * @param payload   the last task object the upstream reported (JSON), or null
 * @param deletedAt when its owner deleted it (epoch ms; the row stays for the books), or null
 */
public record Task(long id, String publicId, String family, String action, String mode, long userId, long keyId,
                   long channelId, String upstreamId, TaskStatus status, String progress, String failReason,
                   Charge charge, String notifyHook, String request, String payload, long submittedAt,
                   Long startedAt, Long finishedAt, long updatedAt, Long deletedAt) {

    /** A task not deleted: what a submit makes (and what tests build). */
    public Task(long id, String publicId, String family, String action, String mode, long userId, long keyId,
                long channelId, String upstreamId, TaskStatus status, String progress, String failReason,
                Charge charge, String notifyHook, String request, String payload, long submittedAt,
                Long startedAt, Long finishedAt, long updatedAt) {
        this(id, publicId, family, action, mode, userId, keyId, channelId, upstreamId, status, progress, failReason,
                charge, notifyHook, request, payload, submittedAt, startedAt, finishedAt, updatedAt, null);
    }

    /**
     * The money side of a task.
     *
     * @param costNanos   what the task is charged now
     * @param unitNanos   the price of one unit (a second of video, a clip) with the group multiplier, fixed at
     *                    submit; 0 for a task priced per call, which completion does not re-settle
     * @param units       the units {@code costNanos} pays for
     * @param chargeState {@code pending} while the charge is queued for the ledger writer, then {@code charged}
     * @param refundState {@code none} or {@code refunded}
     * @param settleState {@code open} until completion settled the cost on what was made, then {@code settled}
     */
    public record Charge(long costNanos, long unitNanos, long units, String chargeState, String refundState,
                         String settleState) {

        /** A new task's charge, queued for the writer: {@code units} at {@code unitNanos} cost {@code costNanos}. */
        public static Charge pending(long costNanos, long unitNanos, long units) {
            return new Charge(costNanos, unitNanos, units, "pending", "none", "open");
        }

        /** A per-call charge: completion does not re-settle it. */
        public static Charge perCall(long costNanos) {
            return pending(costNanos, 0, 1);
        }
    }

    public long costNanos() {
        return charge.costNanos();
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public boolean refunded() {
        return "refunded".equals(charge.refundState());
    }
}

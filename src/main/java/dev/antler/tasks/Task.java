package dev.antler.tasks;

/**
 * One stored task. {@code publicId} is what clients see; {@code upstreamId} is the provider's id and is
 * never shown to clients.
 *
 * @param chargeState {@code pending} while the charge is queued for the ledger writer, then {@code charged}
 * @param refundState {@code none} or {@code refunded}
 * @param request     the family's client-side facts kept for rendering (JSON), e.g. prompt, state, base URL
 * @param payload     the last task object the upstream reported (JSON), or null
 */
public record Task(long id, String publicId, String family, String action, String mode, long userId, long keyId,
                   long channelId, String upstreamId, TaskStatus status, String progress, String failReason,
                   long costNanos, String chargeState, String refundState, String notifyHook, String request,
                   String payload, long submittedAt, Long startedAt, Long finishedAt, long updatedAt) {

    public boolean refunded() {
        return "refunded".equals(refundState);
    }
}

package dev.antler.midjourney;

import dev.antler.billing.LedgerWriter;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import java.time.Clock;

/**
 * Usage rows of the free read routes (fetch, image-seed, list-by-condition, the image proxy): cost zero,
 * endpoint {@code mj.fetch}, {@code mj.image_seed}, {@code mj.list} or {@code mj.image}. They are queued to
 * the {@link LedgerWriter}, which writes them in its next batch: logging adds no database round trip to the
 * request. The gateway's own background polls are not logged here (see {@link MjTasks#poll}).
 */
final class MjReadLog {

    private final LedgerWriter ledger;
    private final Clock clock;

    MjReadLog(LedgerWriter ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * @param channelId the channel asked upstream, or null when the answer came from the store alone
     * @param endReason complete, client_gone, upstream_cut, timeout or error
     */
    void log(String requestId, long userId, long keyId, String endpoint, Long channelId, int status,
             long latencyMs, String endReason, String error) {
        ledger.settle(new UsageRecord(requestId, clock.millis(), userId, keyId, endpoint, "midjourney", null, channelId,
                status, false, Usage.NONE, 0, latencyMs, null, endReason, "none", channelId == null ? 0 : 1, error));
    }
}

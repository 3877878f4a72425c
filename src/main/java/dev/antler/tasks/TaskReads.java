package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.LedgerWriter;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import java.time.Clock;

/**
 * The usage rows of the task families' free reads (a task fetched, listed, its result or content served): at zero
 * cost, under the caller (or the task's owner). They are queued to the {@link LedgerWriter}, which writes them in
 * its next batch: logging adds no database round trip to the request. The gateway's own background polls are not
 * logged (no caller, no cost, and a row per channel per poll interval would flood the log).
 */
public final class TaskReads {

    private final LedgerWriter ledger;
    private final Clock clock;

    TaskReads(LedgerWriter ledger, Clock clock) {
        this.ledger = requireNonNull(ledger, "ledger");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * @param model     the family's name, or the task's model
     * @param channelId the channel asked upstream, or null when the answer came from the store alone
     * @param endReason complete, client_gone, upstream_cut, timeout or error
     */
    public void log(String requestId, long userId, long keyId, String endpoint, String model, Long channelId,
                    int status, long latencyMs, String endReason, String error) {
        ledger.settle(new UsageRecord(requestId, clock.millis(), userId, keyId, endpoint, model, null, channelId,
                status, false, Usage.NONE, 0, latencyMs, null, endReason, "none", channelId == null ? 0 : 1, error));
    }
}

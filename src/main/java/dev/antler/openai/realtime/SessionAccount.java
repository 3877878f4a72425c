package dev.antler.openai.realtime;

import dev.antler.billing.Hold;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.billing.Usd;
import dev.antler.core.GatewayException;
import dev.antler.relay.RelayServices;
import tools.jackson.databind.JsonNode;

/**
 * The money side of one realtime session: the hold for the response to come, each finished response priced and
 * settled at once — its hold replaced by its cost, a usage row ({@code <session id>.<n>}) and a ledger row queued,
 * the limits told — and a new hold taken for the next one; when the session ends, the open hold released and the
 * closing row queued with the session's totals in its note. Where the instances share holds, the session's hold is
 * recorded once, under the session's id, and stands until the closing row is written. Used on the session's event
 * loop only.
 */
final class SessionAccount {

    private final RealtimeOpening opening;
    private final RelayServices services;
    private final long startNanos;
    private Hold hold;
    private int responses;
    private Usage total = Usage.NONE;
    private long totalCost;

    SessionAccount(RealtimeOpening opening, long startNanos) {
        this.opening = opening;
        this.services = opening.services();
        this.startNanos = startNanos;
        this.hold = opening.hold();
    }

    /**
     * Settles one response on {@code usage} (its {@code response.usage}), then holds for the next one: null when the
     * next hold was taken, else its refusal (the balance or the key's spend limit), which ends the session.
     */
    GatewayException settle(JsonNode usage) {
        RealtimeMeter.Metered metered = opening.meter().meter(usage);
        responses++;
        opening.admission().spent(metered.costNanos(), metered.usage());
        total = plus(total, metered.usage());
        totalCost = Math.addExact(totalCost, metered.costNanos());
        services.ledger().settle(record(opening.requestId() + "." + responses, 200, metered.usage(),
                metered.costNanos(), "complete", "reported", null));
        Hold settled = hold;
        hold = null;
        try {
            hold = services.balances().renew(settled, metered.costNanos(), opening.principal().user(),
                    opening.principal().key());
            return null;
        } catch (GatewayException refused) {
            return refused;
        }
    }

    /** The session ended for {@code reason}: the open hold released, the limits told, the closing row queued. */
    void close(SessionEnd reason, String why) {
        if (hold != null) {
            services.balances().settle(hold, 0);
            hold = null;
        }
        opening.admission().settle(0, Usage.NONE); // the responses' charges and tokens were counted as each finished
        services.ledger().settle(record(opening.requestId(), reason.status(), Usage.NONE, 0, reason.logName(), "none",
                summary(why)));
    }

    private String summary(String why) {
        String totals = "session: " + responses + " responses, " + total.promptTokens() + " input tokens ("
                + total.cachedTokens() + " cached), " + total.completionTokens() + " output tokens, "
                + Usd.format(totalCost) + " USD";
        return why == null ? totals : why + "; " + totals;
    }

    private UsageRecord record(String requestId, int status, Usage usage, long cost, String endReason, String basis,
                               String note) {
        return new UsageRecord(requestId, services.clock().millis(), opening.principal().user().id(),
                opening.principal().key().id(), opening.endpoint(), opening.model(),
                opening.channel().upstreamModel(opening.model()), opening.channel().id(), status, true, usage, cost,
                (System.nanoTime() - startNanos) / 1_000_000, opening.connectMs(), endReason, basis,
                opening.attempts().size(), note, opening.attempts().json());
    }

    private static Usage plus(Usage a, Usage b) {
        return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
                a.cachedTokens() + b.cachedTokens(), 0, 0, 0);
    }
}

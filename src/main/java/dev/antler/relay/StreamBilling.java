package dev.antler.relay;

import dev.antler.billing.Usage;

/**
 * What an answer is billed for, by how it ended (DESIGN invariant 4):
 * <ul>
 *   <li>nothing reached the client: nothing is billed, however it ended;</li>
 *   <li>{@link EndReason#COMPLETE}, or any end of a stream: what the tap metered — the upstream's usage when it
 *       reported one, else a tokenizer estimate of the prompt and of the text delivered so far;</li>
 *   <li>a non-streamed answer cut short ({@code client_gone}, {@code upstream_cut}, {@code timeout})
 *       after some bytes went out: the upstream's usage if it was in the part received, else the
 *       prompt alone — a truncated JSON body is no usable answer, so no output is counted.</li>
 * </ul>
 */
final class StreamBilling {

    private static final ResponseTap.Metered NOTHING = new ResponseTap.Metered(Usage.NONE, "none");

    private StreamBilling() {}

    static ResponseTap.Metered billed(ResponseRelay.Outcome outcome, boolean stream) {
        if (outcome.bytesDelivered() == 0) {
            return NOTHING;
        }
        ResponseTap.Metered metered = outcome.metered();
        if (stream || outcome.endReason() == EndReason.COMPLETE || metered.basis().equals("reported")) {
            return metered;
        }
        Usage u = metered.usage();
        Usage promptOnly = new Usage(u.promptTokens(), 0, u.cachedTokens(), u.cacheWriteTokens(), 0, 0);
        return promptOnly.isEmpty() ? NOTHING : new ResponseTap.Metered(promptOnly, metered.basis());
    }
}

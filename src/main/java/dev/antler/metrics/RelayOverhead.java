package dev.antler.metrics;

/**
 * Antler's own time on a relayed request, without the upstream's: from the client's request head
 * received to the upstream request head written, and from the upstream response head received to
 * the client response head written. Comparable to the in-process overhead other gateways publish;
 * served by {@code GET /api/admin/metrics/overhead}.
 *
 * <p>The request phase covers authentication, reading and inspecting the body, the hold, routing,
 * building the upstream request and taking a pooled connection (or opening one). It includes the
 * time the client takes to send its body, so it is recorded for JSON bodies only, and for the first
 * attempt only (a failover's wait on a failed channel is not overhead). The response phase ends
 * when the head goes out with the first bytes of the body; for a stream whose upstream sends its
 * head before its first event, it includes the wait for that event. Answers held for a rewrite
 * (result mirroring) are not recorded.
 *
 * <p>One instance per process, so the relay's hot path records without any wiring.
 */
public final class RelayOverhead {

    public static final LatencyHistogram REQUEST = new LatencyHistogram();
    public static final LatencyHistogram RESPONSE = new LatencyHistogram();

    private RelayOverhead() {}

    public static void reset() {
        REQUEST.reset();
        RESPONSE.reset();
    }
}

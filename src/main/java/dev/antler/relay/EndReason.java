package dev.antler.relay;

import java.util.Locale;

/** How a relayed request ended, as the usage log's {@code end_reason} says it ({@link #logName()}). */
public enum EndReason {
    /** The answer went out whole (or the gateway answered itself). */
    COMPLETE,
    /** The client closed the connection before the answer was complete. */
    CLIENT_GONE,
    /** The upstream connection broke, or its stream was malformed, before the answer was complete. */
    UPSTREAM_CUT,
    /** The upstream stopped sending before the answer was complete (the attempt's total or idle timeout). */
    TIMEOUT,
    /** No answer was relayed: every channel failed or refused, or the upstream answered with an error. */
    ERROR;

    private final String logName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name the usage log stores: {@code complete}, {@code client_gone}, ... */
    public String logName() {
        return logName;
    }

    /** Whether the channel failed the answer midway (its breaker counts it). */
    public boolean channelFault() {
        return this == UPSTREAM_CUT || this == TIMEOUT;
    }
}

package dev.antler.routing;

/**
 * How long the gateway waits on a channel, in milliseconds; a null field takes the default.
 *
 * @param connectMs to open a connection (default 10 s)
 * @param idleMs    without a byte from the upstream, before the response head or between two chunks of the
 *                  answer (default 300 s: reasoning models may think for minutes before the first byte)
 * @param totalMs   for one attempt, from sending the request to the end of the answer (default 600 s)
 */
public record ChannelTimeouts(Long connectMs, Long idleMs, Long totalMs) {

    public static final long DEFAULT_CONNECT_MS = 10_000;
    public static final long DEFAULT_IDLE_MS = 300_000;
    public static final long DEFAULT_TOTAL_MS = 600_000;
    public static final ChannelTimeouts DEFAULTS = new ChannelTimeouts(null, null, null);
    private static final long MAX_MS = 24L * 3600 * 1000;

    public ChannelTimeouts {
        check("connect_timeout_ms", connectMs);
        check("idle_timeout_ms", idleMs);
        check("total_timeout_ms", totalMs);
    }

    private static void check(String name, Long value) {
        if (value != null && (value < 1 || value > MAX_MS)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 1 to " + MAX_MS + " ms)");
        }
    }

    public long connect() {
        return connectMs == null ? DEFAULT_CONNECT_MS : connectMs;
    }

    public long idle() {
        return idleMs == null ? DEFAULT_IDLE_MS : idleMs;
    }

    public long total() {
        return totalMs == null ? DEFAULT_TOTAL_MS : totalMs;
    }
}

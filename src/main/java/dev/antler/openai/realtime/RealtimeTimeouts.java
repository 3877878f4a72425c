package dev.antler.openai.realtime;

import dev.antler.routing.Channel;

/**
 * How long a session may last: idle (no data frame either way) for the channel's {@code idle_timeout_ms}, and at
 * most {@link #MAX_SESSION_MS} in all (OpenAI's own cap on a realtime session); a ping to the client every
 * {@link #PING_MS} keeps intermediaries from dropping a quiet connection.
 */
record RealtimeTimeouts(long idleMs, long maxSessionMs, long pingMs) {

    static final long MAX_SESSION_MS = 60 * 60 * 1000L;
    static final long PING_MS = 30_000;

    static RealtimeTimeouts of(Channel channel) {
        return new RealtimeTimeouts(channel.timeouts().idle(), MAX_SESSION_MS, PING_MS);
    }
}

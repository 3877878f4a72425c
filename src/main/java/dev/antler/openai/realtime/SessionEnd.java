package dev.antler.openai.realtime;

import java.util.Locale;

/** Why a realtime session ended, as its closing usage row's {@code end_reason} says it. */
enum SessionEnd {
    /** The client closed or left, or the upstream closed normally, with no response under way. */
    COMPLETE(200, null),
    /**
     * The client left during a response (then cancelled upstream, and billed on the usage its {@code response.done}
     * reports).
     */
    CLIENT_GONE(499, null),
    /** The upstream connection broke or closed abnormally, or closed during a response. */
    UPSTREAM_CUT(502, "upstream_cut"),
    /** No frame either way for the idle timeout, or the session reached its maximum length. */
    TIMEOUT(408, "session_timeout"),
    /** The balance or the key's limit cannot cover the next response. */
    BALANCE(402, "insufficient_balance");

    private final int status;
    private final String code;
    private final String logName = name().toLowerCase(Locale.ROOT);

    SessionEnd(int status, String code) {
        this.status = status;
        this.code = code;
    }

    String logName() {
        return logName;
    }

    /** The status the closing row records (the client saw 101; this says how the session went). */
    int status() {
        return status;
    }

    /** Whether the client is sent an {@code error} event before the close. */
    boolean clientTold() {
        return code != null;
    }

    String code() {
        return code;
    }

    String message(String why) {
        return switch (this) {
            case UPSTREAM_CUT -> "the upstream ended the session unexpectedly";
            case TIMEOUT -> "the session was closed: " + why;
            case BALANCE -> "the session was closed: " + why;
            default -> why;
        };
    }
}

package dev.antler.openai.realtime;

/** Why a realtime session ended, as its closing usage row's {@code end_reason} says it. */
enum SessionEnd {
    /** The client closed or left, or the upstream closed normally, with no response under way. */
    COMPLETE("complete", 200, null),
    /**
     * The client left during a response (then cancelled upstream, and billed on the usage its {@code response.done}
     * reports).
     */
    CLIENT_GONE("client_gone", 499, null),
    /** The upstream connection broke or closed abnormally, or closed during a response. */
    UPSTREAM_CUT("upstream_cut", 502, "upstream_cut"),
    /** No frame either way for the idle timeout, or the session reached its maximum length. */
    TIMEOUT("timeout", 408, "session_timeout"),
    /** The balance, the key's spend limit or the user's daily spend cap cannot cover the next response. */
    BALANCE("balance", 402, null),
    /**
     * The gateway could not go on: charges cannot be recorded (the store is down past its bound), so no further
     * response may start. The usage log's {@code error}, with status 503; the client is told {@code store_unavailable}.
     */
    ERROR("error", 503, null);

    private final String logName;
    private final int status;
    private final String code;

    SessionEnd(String logName, int status, String code) {
        this.logName = logName;
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

    /**
     * The {@code error} event the client is sent before the close for this reason alone, or null: none (the
     * client left, or all went well), or the refusal that ended the session is sent instead.
     */
    String notice(String why) {
        return switch (this) {
            case UPSTREAM_CUT -> RealtimeErrors.event(code, "the upstream ended the session unexpectedly");
            case TIMEOUT -> RealtimeErrors.event(code, "the session was closed: " + why);
            default -> null;
        };
    }
}

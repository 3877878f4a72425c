package dev.antler.relay;

import dev.antler.routing.Channel;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Every attempt of one request, for the usage log's {@code attempt_log} column: a JSON array of
 * {@code {"channel_id", "channel", "status", "error", "ms"}}; status 0 means no HTTP answer (a
 * transport failure or timeout). Errors are masked of keys and abbreviated.
 */
public final class AttemptLog {

    private static final int MAX_ERROR = 200;
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    /** The array's members so far, without brackets (written by hand: this runs for every request). */
    private final StringBuilder members = new StringBuilder(96);
    private int size;

    public void add(Channel channel, int status, String error, long elapsedMs) {
        if (size++ > 0) {
            members.append(',');
        }
        members.append("{\"channel_id\":").append(channel.id()).append(",\"channel\":");
        quote(channel.name());
        members.append(",\"status\":").append(status).append(",\"error\":");
        if (error == null) {
            members.append("null");
        } else {
            String masked = KeyMasker.mask(error);
            quote(masked.length() <= MAX_ERROR ? masked : masked.substring(0, MAX_ERROR) + "…");
        }
        members.append(",\"ms\":").append(elapsedMs).append('}');
    }

    public int size() {
        return size;
    }

    /** The JSON text, or null when no attempt was made. */
    public String json() {
        return size == 0 ? null : "[" + members + "]";
    }

    private void quote(String text) {
        members.append('"');
        ENCODER.quoteAsString(text, members);
        members.append('"');
    }
}

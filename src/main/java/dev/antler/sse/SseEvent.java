package dev.antler.sse;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * One event of a Server-Sent-Events stream.
 *
 * <p>{@code raw} holds the exact bytes of the event, including comment lines and the terminating
 * blank line, so a relay can forward it unchanged; it is handed out without copying and must not be
 * modified. Blocks without fields (comments only, or extra blank lines) are events too, with
 * {@code event}, {@code data} and {@code id} all null.
 *
 * @param raw the exact bytes of the event including its terminating blank line
 * @param event the value of the last {@code event} field, or null if there is none
 * @param data the {@code data} field values joined with {@code \n}, or null if there is none
 * @param id the value of the last {@code id} field, or null if there is none
 */
public record SseEvent(byte[] raw, String event, String data, String id) {

    public SseEvent {
        requireNonNull(raw, "raw");
    }

    /** Whether a browser would dispatch this event as a message, that is whether it has a data field. */
    public boolean isMessage() {
        return data != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SseEvent that
                && Arrays.equals(raw, that.raw)
                && Objects.equals(event, that.event)
                && Objects.equals(data, that.data)
                && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(raw) + Objects.hash(event, data, id);
    }

    @Override
    public String toString() {
        return "SseEvent[raw=" + raw.length + " bytes, event=" + event + ", data=" + data + ", id=" + id + "]";
    }
}

package dev.antler.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a Server-Sent-Events byte stream, fed in arbitrary chunks, into complete events.
 *
 * <p>Lines end with CRLF, LF or CR and a blank line ends an event (WHATWG rules). Every byte fed
 * ends up in exactly one event's {@link SseEvent#raw()} or in {@link #pendingBytes()}, so a relay
 * can forward the stream byte for byte. An event whose blank line ends with a bare CR at the end of a
 * chunk is held back until the next byte (or {@link #finish()}) shows whether an LF belongs to it.
 *
 * <p>Not thread-safe. After an exception (including one thrown by the sink) the framer is unusable.
 */
public final class SseFramer {

    public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] EMPTY = new byte[0];
    private static final int RETAINED_PENDING_BYTES = 64 * 1024;

    private final int maxEventBytes;
    private final Consumer<SseEvent> sink;
    private final SseFieldParser fieldParser = new SseFieldParser();

    /** Bytes of the current, not yet complete event; copied out once into the event's raw array. */
    private byte[] pending = EMPTY;
    private int pendingLength;
    private boolean lineStarted;
    private boolean afterCr;
    private boolean afterBlankCr;
    /** BOM bytes matched at the stream start, or -1 once decided. */
    private int bomMatched;
    private boolean bomInFirstEvent;
    private boolean finished;
    private boolean broken;

    public SseFramer(Consumer<SseEvent> sink) {
        this(DEFAULT_MAX_EVENT_BYTES, sink);
    }

    public SseFramer(int maxEventBytes, Consumer<SseEvent> sink) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes: " + maxEventBytes + " (expected: > 0)");
        }
        this.maxEventBytes = maxEventBytes;
        this.sink = requireNonNull(sink, "sink");
    }

    /**
     * Frames {@code length} bytes of {@code data} from {@code offset}, passing every completed event
     * to the sink. The bytes are copied as needed; {@code data} may be reused once this returns.
     *
     * @throws SseException if an event grows beyond the maximum event size
     */
    public void feed(byte[] data, int offset, int length) {
        requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        checkUsable();
        broken = true;
        int end = offset + length;
        int i = offset;
        while (bomMatched >= 0 && i < end) {
            if (data[i] == BOM[bomMatched]) {
                i++;
                if (++bomMatched == BOM.length) {
                    bomMatched = -1;
                    bomInFirstEvent = true;
                }
            } else {
                lineStarted = bomMatched > 0;
                bomMatched = -1;
            }
        }
        int eventStart = offset;
        for (; i < end; i++) {
            byte b = data[i];
            if (afterCr) {
                afterCr = false;
                if (b == LF) {
                    if (afterBlankCr) {
                        eventStart = dispatch(data, eventStart, i + 1);
                    }
                    continue;
                }
                if (afterBlankCr) {
                    eventStart = dispatch(data, eventStart, i);
                }
            }
            if (b == LF) {
                if (lineStarted) {
                    lineStarted = false;
                } else {
                    eventStart = dispatch(data, eventStart, i + 1);
                }
            } else if (b == CR) {
                afterCr = true;
                afterBlankCr = !lineStarted;
                lineStarted = false;
            } else {
                lineStarted = true;
                i = LineEnds.indexOf(data, i + 1, end) - 1; // the rest of the line changes no state
            }
        }
        appendPending(data, eventStart, end - eventStart);
        broken = false;
    }

    /**
     * Ends the stream: dispatches an event held back for a possible LF and discards a partial event.
     * Check {@link #hasPartialEvent()} and {@link #pendingBytes()} before calling this to learn about
     * (or forward) a truncated tail. Calling it again has no effect.
     */
    public void finish() {
        if (finished) {
            return;
        }
        checkUsable();
        broken = true;
        finished = true;
        if (afterCr && afterBlankCr) {
            dispatch(EMPTY, 0, 0);
        }
        pendingLength = 0;
        pending = EMPTY;
        broken = false;
    }

    /** Whether bytes of an unterminated event are pending; always false after {@link #finish()}. */
    public boolean hasPartialEvent() {
        return pendingLength > 0 && !(afterCr && afterBlankCr);
    }

    /**
     * Whether the bytes of the partial event are well-formed UTF-8, as an event stream is: false when the
     * stream stopped inside a multi-byte character, so what came last is no event but a cut.
     */
    public boolean partialEventIsUtf8() {
        try {
            UTF_8.newDecoder().decode(ByteBuffer.wrap(pending, 0, pendingLength)); // reports malformed input
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * A copy of the bytes fed but not yet part of a dispatched event: a partial event, or a complete
     * one held back for a possible LF. Empty after {@link #finish()}.
     */
    public byte[] pendingBytes() {
        return Arrays.copyOf(pending, pendingLength);
    }

    private int dispatch(byte[] data, int from, int to) {
        int size = checkSize((long) pendingLength + (to - from));
        byte[] raw = new byte[size];
        System.arraycopy(pending, 0, raw, 0, pendingLength);
        System.arraycopy(data, from, raw, pendingLength, to - from);
        pendingLength = 0;
        if (pending.length > RETAINED_PENDING_BYTES) {
            pending = EMPTY;
        }
        SseEvent event = fieldParser.parse(raw, bomInFirstEvent ? BOM.length : 0);
        bomInFirstEvent = false;
        sink.accept(event);
        return to;
    }

    private void appendPending(byte[] data, int from, int length) {
        if (length == 0) {
            return;
        }
        int size = checkSize((long) pendingLength + length);
        if (size > pending.length) {
            long grown = Math.max((long) pending.length * 2, 256);
            pending = Arrays.copyOf(pending, (int) Math.min(Math.max(grown, size), maxEventBytes));
        }
        System.arraycopy(data, from, pending, pendingLength, length);
        pendingLength = size;
    }

    private int checkSize(long size) {
        if (size > maxEventBytes) {
            throw new SseException("sse event size: " + size + " (expected: <= " + maxEventBytes + ")");
        }
        return (int) size;
    }

    private void checkUsable() {
        if (broken) {
            throw new IllegalStateException("sse framer: failed (expected: no earlier exception)");
        }
        if (finished) {
            throw new IllegalStateException("sse framer: finished (expected: open)");
        }
    }
}

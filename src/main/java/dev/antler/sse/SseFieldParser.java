package dev.antler.sse;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

/**
 * Reads the fields of one complete event (WHATWG "interpret an event stream" rules) from its raw
 * bytes. Reused across events: only multi-line data needs a scratch buffer.
 */
final class SseFieldParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] ID = {'i', 'd'};
    private static final int RETAINED_SCRATCH_BYTES = 64 * 1024;

    private byte[] scratch = new byte[0];
    private int scratchLength;
    private int dataLines;
    private int dataStart;
    private int dataLength;
    private String event;
    private String id;

    /** Parses {@code raw} from {@code start} (past a leading byte order mark, if any). */
    SseEvent parse(byte[] raw, int start) {
        event = null;
        id = null;
        dataLines = 0;
        int pos = start;
        while (pos < raw.length) {
            int lineEnd = LineEnds.indexOf(raw, pos, raw.length);
            if (lineEnd == pos) {
                break; // the blank line that ends the event
            }
            if (raw[pos] != ':') {
                field(raw, pos, lineEnd);
            }
            pos = lineEnd + 1;
            if (lineEnd + 1 < raw.length && raw[lineEnd] == CR && raw[lineEnd + 1] == LF) {
                pos++;
            }
        }
        return new SseEvent(raw, event, data(raw), id);
    }

    private void field(byte[] raw, int start, int end) {
        int nameEnd = start;
        while (nameEnd < end && raw[nameEnd] != ':') {
            nameEnd++;
        }
        int valueStart = nameEnd == end ? end : nameEnd + 1;
        if (valueStart < end && raw[valueStart] == ' ') {
            valueStart++;
        }
        if (is(raw, start, nameEnd, DATA)) {
            appendData(raw, valueStart, end - valueStart);
        } else if (is(raw, start, nameEnd, EVENT)) {
            event = new String(raw, valueStart, end - valueStart, UTF_8);
        } else if (is(raw, start, nameEnd, ID) && indexOfNul(raw, valueStart, end) < 0) {
            id = new String(raw, valueStart, end - valueStart, UTF_8);
        }
    }

    private void appendData(byte[] raw, int start, int length) {
        if (dataLines == 0) {
            dataStart = start;
            dataLength = length;
        } else {
            if (dataLines == 1) {
                scratchLength = 0;
                append(raw, dataStart, dataLength);
            }
            ensureScratch(scratchLength + 1);
            scratch[scratchLength++] = LF;
            append(raw, start, length);
        }
        dataLines++;
    }

    private String data(byte[] raw) {
        if (dataLines == 0) {
            return null;
        }
        if (dataLines == 1) {
            return new String(raw, dataStart, dataLength, UTF_8);
        }
        String data = new String(scratch, 0, scratchLength, UTF_8);
        if (scratch.length > RETAINED_SCRATCH_BYTES) {
            scratch = new byte[0];
        }
        return data;
    }

    private void append(byte[] source, int start, int length) {
        ensureScratch(scratchLength + length);
        System.arraycopy(source, start, scratch, scratchLength, length);
        scratchLength += length;
    }

    private void ensureScratch(int capacity) {
        if (capacity > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(capacity, Math.max(256, scratch.length * 2)));
        }
    }

    private static boolean is(byte[] raw, int start, int end, byte[] name) {
        return end - start == name.length && Arrays.equals(raw, start, end, name, 0, name.length);
    }

    private static int indexOfNul(byte[] raw, int start, int end) {
        for (int i = start; i < end; i++) {
            if (raw[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}

package dev.antler.sse;

import dev.antler.core.ByteWords;

/**
 * Finds the next line end (CR or LF) eight bytes at a time. An event's bytes are mostly one long
 * {@code data} line, which a byte-by-byte loop walks at a cost that shows per relayed event.
 */
final class LineEnds {

    private static final long LFS = ByteWords.repeat('\n');
    private static final long CRS = ByteWords.repeat('\r');

    private LineEnds() {}

    /** The index of the first CR or LF in {@code data} from {@code from} (inclusive) to {@code to}, or {@code to}. */
    static int indexOf(byte[] data, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = ByteWords.read(data, i);
            long found = ByteWords.matches(word, LFS) | ByteWords.matches(word, CRS);
            if (found != 0) {
                return i + ByteWords.firstMarked(found);
            }
        }
        for (; i < to; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                return i;
            }
        }
        return to;
    }
}

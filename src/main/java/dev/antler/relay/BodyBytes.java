package dev.antler.relay;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A body gathered into one array: of the declared length when the client sent one (filled in place, no
 * second copy), else grown by doubling up to the limit.
 */
final class BodyBytes {

    private static final int INITIAL_BYTES = 8 * 1024;

    private final long limit;
    private byte[] bytes;
    private int length;

    /** @param declared the {@code Content-Length}, or -1 */
    BodyBytes(long declared, long limit) {
        this.limit = limit;
        this.bytes = new byte[(int) (declared >= 0 ? declared : Math.min(INITIAL_BYTES, limit))];
    }

    int length() {
        return length;
    }

    /** What the array takes in memory, room to grow included. */
    int capacity() {
        return bytes.length;
    }

    /** The capacity {@link #append} of {@code more} bytes would need. */
    long capacityFor(int more) {
        long needed = (long) length + more;
        return needed <= bytes.length ? bytes.length : Math.min(limit, Math.max(needed, 2L * bytes.length));
    }

    /** Appends {@code chunk}; the caller has checked {@link #capacityFor} against the limit and the budget. */
    void append(Buffer chunk) {
        int more = chunk.length();
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) capacityFor(more));
        }
        chunk.getBytes(0, more, bytes, length);
        length += more;
    }

    /** The body: the array itself when it is exactly full. */
    byte[] toArray() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}

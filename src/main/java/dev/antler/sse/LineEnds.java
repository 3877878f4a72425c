package dev.antler.sse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the next line end (CR or LF) eight bytes at a time. An event's bytes are mostly one long
 * {@code data} line, which a byte-by-byte loop walks at a cost that shows per relayed event.
 */
final class LineEnds {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private LineEnds() {}

    /** The index of the first CR or LF in {@code data} from {@code from} (inclusive) to {@code to}, or {@code to}. */
    static int indexOf(byte[] data, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(data, i);
            long lf = word ^ LFS;
            long cr = word ^ CRS;
            // The high bit of each zero byte of lf or cr (bytes above a zero byte may show too; the lowest is exact).
            long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
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

package dev.antler.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds, eight bytes at a time, where a run of bytes that cannot matter to {@link JsonScanner#skip} ends: a word
 * is passed only when none of its bytes can be a quote or a bracket (outside strings), or a quote or a backslash
 * (inside). A word that may hold one stops the run at its first byte, and the caller's byte loop decides: so the
 * test may flag a byte wrongly (it does, for a few letters), never miss one. An embedding's floats are almost all
 * digits, so its arrays pass here at a fraction of a byte loop's cost.
 */
final class SpecialBytes {

    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    /**
     * {@code [ ] { }} (0x5B 0x5D 0x7B 0x7D) all become 0x79 under {@code (b | 0x20) & 0xF9}; so do {@code Y y _}
     * and DEL, which the byte loop then passes.
     */
    private static final long CASE_BIT = 0x2020202020202020L;
    private static final long BRACKET_MASK = 0xF9F9F9F9F9F9F9F9L;
    private static final long BRACKETS = 0x7979797979797979L;

    private SpecialBytes() {
    }

    /** The first index from {@code from} whose word may hold a quote or a bracket; at most {@code end}. */
    static int skipStructure(byte[] data, int from, int end) {
        int i = from;
        while (i <= end - Long.BYTES) {
            long word = (long) WORD.get(data, i);
            if ((zeroByte(word ^ QUOTES) | zeroByte(((word | CASE_BIT) & BRACKET_MASK) ^ BRACKETS)) != 0) {
                break;
            }
            i += Long.BYTES;
        }
        return i;
    }

    /** The first index from {@code from} whose word may hold a quote or a backslash; at most {@code end}. */
    static int skipString(byte[] data, int from, int end) {
        int i = from;
        while (i <= end - Long.BYTES) {
            long word = (long) WORD.get(data, i);
            if ((zeroByte(word ^ QUOTES) | zeroByte(word ^ BACKSLASHES)) != 0) {
                break;
            }
            i += Long.BYTES;
        }
        return i;
    }

    /** Non-zero when a byte of {@code word} is zero (exact for the lowest such byte; bytes above it may be flagged). */
    private static long zeroByte(long word) {
        return (word - ONES) & ~word & HIGHS;
    }
}

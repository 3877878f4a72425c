package dev.antler.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of an array as one {@code long}, and which of them equal a given byte: the tool of the scanners that
 * look for a few byte values in long runs of others (line ends in an SSE event, brackets and quotes in a skipped
 * JSON container), eight bytes per step instead of one.
 */
public final class ByteWords {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteWords() {}

    /** The eight bytes of {@code data} from {@code at}, the first in the lowest bits. */
    public static long read(byte[] data, int at) {
        return (long) WORDS.get(data, at);
    }

    /** {@code b} in each of the eight bytes of a word. */
    public static long repeat(int b) {
        return ONES * (b & 0xFF);
    }

    /**
     * The high bit of each byte of {@code word} equal to the corresponding byte of {@code pattern} (a
     * {@link #repeat}). The lowest marked byte is exact; a byte above a match may be marked too, so callers take the
     * lowest ({@link #firstMarked}) or look again byte by byte.
     */
    public static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    /**
     * The high bit of each byte of {@code word} below {@code limit} (at most 0x80), for words without bytes of 0x80 or
     * more; like {@link #matches}, exact for the lowest such byte.
     */
    public static long below(long word, int limit) {
        return (word - repeat(limit)) & ~word & HIGHS;
    }

    /** The index within its word (0 to 7) of the lowest byte {@code marks} marks; {@code marks} must not be 0. */
    public static int firstMarked(long marks) {
        return Long.numberOfTrailingZeros(marks) >>> 3;
    }
}

package dev.antler.json;

import dev.antler.core.ByteWords;

/**
 * Finds, eight bytes at a time, where a run of bytes that cannot matter to {@link JsonScanner}'s skip ends: a word
 * is passed only when none of its bytes can be a quote or a bracket (outside strings), or a quote or a backslash
 * (inside). A word that may hold one stops the run at its first byte, and the caller's byte loop decides: so the
 * test may flag a byte wrongly (it does, for a few letters), never miss one. An embedding's floats are almost all
 * digits, so its arrays pass here at a fraction of a byte loop's cost.
 */
final class SpecialBytes {

    private static final long QUOTES = ByteWords.repeat('"');
    private static final long BACKSLASHES = ByteWords.repeat('\\');
    /**
     * {@code [ ] { }} (0x5B 0x5D 0x7B 0x7D) all become 0x79 under {@code (b | 0x20) & 0xF9}; so do {@code Y y _}
     * and DEL, which the byte loop then passes.
     */
    private static final long CASE_BIT = ByteWords.repeat(0x20);
    private static final long BRACKET_MASK = ByteWords.repeat(0xF9);
    private static final long BRACKETS = ByteWords.repeat(0x79);

    private SpecialBytes() {
    }

    /** The first index from {@code from} whose word may hold a quote or a bracket; at most {@code end}. */
    static int skipStructure(byte[] data, int from, int end) {
        int i = from;
        while (i <= end - Long.BYTES) {
            long word = ByteWords.read(data, i);
            if ((ByteWords.matches(word, QUOTES) | ByteWords.matches((word | CASE_BIT) & BRACKET_MASK, BRACKETS)) != 0) {
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
            long word = ByteWords.read(data, i);
            if ((ByteWords.matches(word, QUOTES) | ByteWords.matches(word, BACKSLASHES)) != 0) {
                break;
            }
            i += Long.BYTES;
        }
        return i;
    }
}

package dev.antler.json;

import dev.antler.core.ByteWords;

/**
 * Finds, eight bytes at a time, where a run of bytes that {@link JsonScanner} may pass without looking at each ends:
 * in a skipped container, a word is passed only when none of its bytes can be a quote or a bracket (outside strings),
 * or a quote or a backslash (inside); in a string value it reads, only when all are printable ASCII other than a quote
 * or a backslash. A word that may hold another byte stops the run at its first byte and the caller's byte loop
 * decides: so a test may flag a byte wrongly (the bracket test does, for a few letters), never miss one. An
 * embedding's floats are almost all digits, and an answer's ids and names plain ASCII, so most bytes pass here.
 */
final class SpecialBytes {

    private static final long QUOTES = ByteWords.repeat('"');
    private static final long BACKSLASHES = ByteWords.repeat('\\');
    private static final long HIGH_BITS = ByteWords.repeat(0x80);
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

    /**
     * The first index from {@code from} whose word may hold a byte a string's step must see: a quote, a backslash, a
     * control character or a byte of a multi-byte UTF-8 character (checked byte by byte); at most {@code end}.
     */
    static int skipPlainText(byte[] data, int from, int end) {
        int i = from;
        while (i <= end - Long.BYTES) {
            long word = ByteWords.read(data, i);
            if ((ByteWords.matches(word, QUOTES) | ByteWords.matches(word, BACKSLASHES) | ByteWords.below(word, 0x20)
                    | (word & HIGH_BITS)) != 0) {
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

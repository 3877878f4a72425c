package dev.antler.json;

import java.util.Arrays;

/**
 * A JSON scanner that takes bytes in arbitrary chunks and builds nothing: a pushdown automaton over
 * the JSON grammar (RFC 8259, UTF-8 checked inside strings) that tells its {@link Listener} about
 * property names, value starts and container ends, and hands over the raw bytes of a value the
 * listener asked to capture. It exists for the relay's hot path, where a tokenizing parser spends most
 * of its time on values nobody reads (an embedding's floats).
 *
 * <p>The top two levels (the root and its direct members) are validated in full. A container that
 * starts deeper and is not captured is only skipped: its strings and brackets are followed and its
 * brackets must match, but its numbers and literals are not checked.
 *
 * <p>Not thread-safe.
 */
final class JsonScanner {

    /** Told about the document's structure as it is scanned. Depths count the open containers. */
    interface Listener {

        /** A property name of the object at {@code depth}, as raw bytes (escapes not decoded). */
        void onName(int depth, byte[] name, int length);

        /**
         * A value starts at {@code depth} with byte {@code first}; returns the most bytes of it to capture,
         * or 0 not to capture it.
         */
        int onValueStart(int depth, byte first);

        /** A container closed, leaving {@code depth} containers open. */
        void onContainerEnd(int depth);

        /**
         * The complete raw bytes of a captured value, or null if it was longer than its capture limit;
         * {@code length} is the value's whole length either way (saturated at {@code Integer.MAX_VALUE}).
         */
        void onCaptured(byte[] value, int length);
    }

    static final int MAX_DEPTH = 1000;
    private static final int MAX_NAME = 64;

    private static final int VALUE = 0, VALUE_OR_CLOSE = 1, NAME = 2, NAME_OR_CLOSE = 3, COLON = 4, AFTER = 5,
            STRING = 6, ESCAPE = 7, UNICODE = 8, UTF8 = 9, LITERAL = 10, FAILED = 11,
            N_MINUS = 12, N_ZERO = 13, N_INT = 14, N_DOT = 15, N_FRAC = 16, N_EXP = 17, N_EXP_SIGN = 18, N_EXP_DIGITS = 19,
            SKIP = 20;
    /** Containers opened at this depth or deeper, and not captured, are skipped (see {@link #skip}). */
    private static final int SKIP_FROM_DEPTH = 2;
    private static final byte[] STRUCTURE_SPECIAL = table("\"[]{}");
    private static final byte[] STRING_SPECIAL = table("\"\\");
    private static final byte OBJECT = 1, ARRAY = 2;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'}, FALSE = {'f', 'a', 'l', 's', 'e'}, NULL = {'n', 'u', 'l', 'l'};

    private final Listener listener;
    private int captureLimit;
    private byte[] containers = new byte[16];
    private int depth;
    private int state = VALUE;
    private boolean rootDone;
    private boolean stringIsName;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private int pending;           // hex digits left in a \\u escape, or continuation bytes left in UTF-8
    private int low = 0x80, high = 0xBF; // the range of the next UTF-8 continuation byte
    private byte[] literal;
    private int literalIndex;
    private boolean capturing;
    private int captureDepth;
    private byte[] capture;
    private int captureLength;
    private boolean captureOverflow;
    private int skipBase;          // the depth at which a skipped container ends
    private boolean skipInString;
    private boolean skipEscape;

    JsonScanner(Listener listener) {
        this.listener = listener;
    }

    boolean failed() {
        return state == FAILED;
    }

    void fail() {
        state = FAILED;
        capturing = false;
    }

    /** Scans {@code length} bytes; false once the input is not JSON (further input is ignored). */
    boolean feed(byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && state != FAILED) {
            if (state == SKIP) {
                i = skip(data, i, end);
                continue;
            }
            if (state == STRING && !stringIsName) {
                // Printable ASCII needs no step of its own inside a string value: passed eight bytes at a time.
                int plain = SpecialBytes.skipPlainText(data, i, end);
                if (plain > i) {
                    if (capturing) {
                        appendRange(data, i, plain);
                    }
                    i = plain;
                    continue;
                }
            }
            step(data[i++]);
        }
        return state != FAILED;
    }

    /** Ends the input; true if it was exactly one complete JSON value. */
    boolean finish() {
        if (state >= N_MINUS && depth == 0 && accepting(state)) {
            endScalar();
        }
        return state == AFTER && rootDone;
    }

    private void step(byte b) {
        int c = b & 0xFF;
        if (capturing && state < N_MINUS) {
            append(b); // a number's bytes are appended once they are known to belong to it
        }
        switch (state) {
            case VALUE, VALUE_OR_CLOSE -> {
                if (isSpace(c)) {
                    return;
                }
                if (c == ']' && state == VALUE_OR_CLOSE) {
                    close(ARRAY);
                } else {
                    startValue(b, c);
                }
            }
            case NAME, NAME_OR_CLOSE -> {
                if (isSpace(c)) {
                    return;
                }
                if (c == '}' && state == NAME_OR_CLOSE) {
                    close(OBJECT);
                } else if (c == '"') {
                    stringIsName = true;
                    nameLength = 0;
                    state = STRING;
                } else {
                    fail();
                }
            }
            case COLON -> {
                if (c == ':') {
                    state = VALUE;
                } else if (!isSpace(c)) {
                    fail();
                }
            }
            case AFTER -> after(c);
            case STRING -> string(b, c);
            case ESCAPE -> {
                keepNameByte(b);
                if (c == 'u') {
                    pending = 4;
                    state = UNICODE;
                } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't') {
                    state = STRING;
                } else {
                    fail();
                }
            }
            case UNICODE -> {
                keepNameByte(b);
                if (Character.digit(c, 16) < 0) {
                    fail();
                } else if (--pending == 0) {
                    state = STRING;
                }
            }
            case UTF8 -> {
                keepNameByte(b);
                if (c < low || c > high) {
                    fail();
                    return;
                }
                low = 0x80;
                high = 0xBF;
                if (--pending == 0) {
                    state = STRING;
                }
            }
            case LITERAL -> {
                if (c != literal[literalIndex]) {
                    fail();
                } else if (++literalIndex == literal.length) {
                    endScalar();
                }
            }
            case FAILED -> { }
            default -> number(b, c);
        }
    }

    private void startValue(byte b, int c) {
        if (rootDone) {
            fail();
            return;
        }
        int limit = capturing ? 0 : listener.onValueStart(depth, b);
        if (limit > 0) {
            captureLimit = limit;
            capturing = true;
            captureDepth = depth;
            captureLength = 0;
            captureOverflow = false;
            append(b);
        }
        // A container is stepped through only where the listener reads inside it (near the root, and not
        // captured); one captured whole is skipped, its bytes copied in bulk as the skip passes them.
        boolean capturedWhole = limit > 0;
        switch (c) {
            case '{' -> open(OBJECT, !capturedWhole && (capturing || depth < SKIP_FROM_DEPTH) ? NAME_OR_CLOSE : SKIP);
            case '[' -> open(ARRAY, !capturedWhole && (capturing || depth < SKIP_FROM_DEPTH) ? VALUE_OR_CLOSE : SKIP);
            case '"' -> {
                stringIsName = false;
                state = STRING;
            }
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            case '-' -> state = N_MINUS;
            case '0' -> state = N_ZERO;
            default -> {
                if (c >= '1' && c <= '9') {
                    state = N_INT;
                } else {
                    fail();
                }
            }
        }
    }

    private void literal(byte[] expected) {
        literal = expected;
        literalIndex = 1;
        state = LITERAL;
    }

    private void string(byte b, int c) {
        if (c == '"') {
            if (stringIsName) {
                listener.onName(depth, name, nameLength);
                state = COLON;
            } else {
                endScalar();
            }
            return;
        }
        keepNameByte(b);
        if (c == '\\') {
            state = ESCAPE;
        } else if (c < 0x20) {
            fail();
        } else if (c >= 0x80) {
            utf8Lead(c);
        }
    }

    private void utf8Lead(int c) {
        if (c >= 0xC2 && c <= 0xDF) {
            pending = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            pending = 2;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            pending = 3;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            fail();
            return;
        }
        state = UTF8;
    }

    private void keepNameByte(byte b) {
        if (stringIsName && nameLength < MAX_NAME) {
            name[nameLength++] = b;
        }
    }

    private void number(byte b, int c) {
        boolean digit = c >= '0' && c <= '9';
        int next = switch (state) {
            case N_MINUS -> c == '0' ? N_ZERO : digit ? N_INT : -1;
            case N_ZERO -> c == '.' ? N_DOT : c == 'e' || c == 'E' ? N_EXP : -2;
            case N_INT -> digit ? N_INT : c == '.' ? N_DOT : c == 'e' || c == 'E' ? N_EXP : -2;
            case N_DOT -> digit ? N_FRAC : -1;
            case N_FRAC -> digit ? N_FRAC : c == 'e' || c == 'E' ? N_EXP : -2;
            case N_EXP -> digit ? N_EXP_DIGITS : c == '+' || c == '-' ? N_EXP_SIGN : -1;
            case N_EXP_SIGN -> digit ? N_EXP_DIGITS : -1;
            default -> digit ? N_EXP_DIGITS : -2; // N_EXP_DIGITS
        };
        if (next >= 0) {
            state = next;
            if (capturing) {
                append(b);
            }
        } else if (next == -1) {
            fail();
        } else {
            // The byte after a complete number belongs to what follows it.
            endScalar();
            step(b);
        }
    }

    private static boolean accepting(int numberState) {
        return numberState == N_ZERO || numberState == N_INT || numberState == N_FRAC || numberState == N_EXP_DIGITS;
    }

    private void endScalar() {
        state = AFTER;
        endValue();
    }

    private void open(byte kind, int nextState) {
        if (depth == MAX_DEPTH) {
            fail();
            return;
        }
        if (depth == containers.length) {
            containers = Arrays.copyOf(containers, depth * 2);
        }
        containers[depth++] = kind;
        state = nextState;
        if (nextState == SKIP) {
            skipBase = depth - 1;
            skipInString = false;
            skipEscape = false;
        }
    }

    /**
     * Skips a container nobody reads, from {@code from}; returns where it stopped (past the container's
     * end, or {@code end}). Only structure is checked here — strings, escapes and matching brackets —
     * not the numbers and literals inside: this is the loop an embedding's floats go through, and
     * it must cost little more than reading them.
     */
    private int skip(byte[] data, int from, int end) {
        boolean inString = skipInString;
        boolean escape = skipEscape;
        int i = from;
        boolean appended = false;
        try {
            while (i < end) {
                if (escape) {
                    escape = false;
                    i++;
                    continue;
                }
                // The tight loops: eight ordinary bytes at a time, and one table load per byte of a word that
                // may hold a special one.
                byte[] special = inString ? STRING_SPECIAL : STRUCTURE_SPECIAL;
                while (true) {
                    i = inString ? SpecialBytes.skipString(data, i, end) : SpecialBytes.skipStructure(data, i, end);
                    int wordEnd = Math.min(end, i + Long.BYTES);
                    while (i < wordEnd && special[data[i] & 0xFF] == 0) {
                        i++;
                    }
                    if (i < wordEnd || i == end) {
                        break;
                    }
                }
                if (i == end) {
                    break;
                }
                byte b = data[i++];
                if (inString) {
                    if (b == '\\') {
                        escape = true;
                    } else {
                        inString = false; // the closing quote
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '[' || b == '{') {
                    if (depth == MAX_DEPTH) {
                        fail();
                        return end;
                    }
                    if (depth == containers.length) {
                        containers = Arrays.copyOf(containers, depth * 2);
                    }
                    containers[depth++] = b == '[' ? ARRAY : OBJECT;
                } else {
                    if (containers[depth - 1] != (b == ']' ? ARRAY : OBJECT)) {
                        fail();
                        return end;
                    }
                    if (--depth == skipBase) {
                        if (capturing) {
                            appendRange(data, from, i); // before the value is handed over
                            appended = true;
                        }
                        listener.onContainerEnd(depth);
                        state = AFTER;
                        endValue();
                        return i;
                    }
                }
            }
            return i;
        } finally {
            skipInString = inString;
            skipEscape = escape;
            if (capturing && !appended) {
                appendRange(data, from, i);
            }
        }
    }

    private void close(byte kind) {
        if (depth == 0 || containers[depth - 1] != kind) {
            fail();
            return;
        }
        depth--;
        listener.onContainerEnd(depth);
        state = AFTER;
        endValue();
    }

    /** A value ended (its last byte already scanned). */
    private void endValue() {
        if (capturing && captureDepth == depth) {
            capturing = false;
            listener.onCaptured(captureOverflow ? null : capture, captureLength);
        }
        if (depth == 0) {
            rootDone = true;
        }
    }

    private void after(int c) {
        if (isSpace(c)) {
            return;
        }
        if (depth == 0) {
            fail();
        } else if (c == ',') {
            state = containers[depth - 1] == OBJECT ? NAME : VALUE;
        } else if (c == '}' || c == ']') {
            close(c == '}' ? OBJECT : ARRAY);
        } else {
            fail();
        }
    }

    private void append(byte b) {
        if (captureLength >= captureLimit) {
            captureOverflow = true; // counted on, not kept
        } else {
            if (capture == null || captureLength >= capture.length) {
                capture = Arrays.copyOf(capture == null ? new byte[0] : capture,
                        Math.min(captureLimit, Math.max(64, captureLength * 2)));
            }
            capture[captureLength] = b;
        }
        if (captureLength < Integer.MAX_VALUE) {
            captureLength++;
        }
    }

    /** {@link #append} for a run of bytes. */
    private void appendRange(byte[] data, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        long length = (long) captureLength + n;
        if (length > captureLimit) {
            captureOverflow = true; // counted on, not kept
        } else if (!captureOverflow) {
            if (capture == null || length > capture.length) {
                capture = Arrays.copyOf(capture == null ? new byte[0] : capture,
                        (int) Math.min(captureLimit, Math.max(length, Math.max(64, captureLength * 2L))));
            }
            System.arraycopy(data, from, capture, captureLength, n);
        }
        captureLength = (int) Math.min(Integer.MAX_VALUE, length);
    }

    private static byte[] table(String specials) {
        byte[] table = new byte[256];
        for (char c : specials.toCharArray()) {
            table[c] = 1;
        }
        return table;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}

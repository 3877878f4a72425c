package dev.antler.multipart;

/**
 * A multipart body (or boundary) the scanner refuses. Messages read {@code name: value (expected: ...)},
 * e.g. {@code multipart part count: 1001 (expected: <= 1000)}.
 */
public final class MultipartException extends RuntimeException {

    private static final int MAX_QUOTED_CHARS = 80;

    MultipartException(String name, Object value, String expected) {
        super(name + ": " + value + " (expected: " + expected + ")");
    }

    /** Client-supplied text for a message: quoted, control characters escaped, long values cut. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED_CHARS) + 8).append('"');
        int shown = Math.min(text.length(), MAX_QUOTED_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        return shown < text.length() ? out.append("...").toString() : out.toString();
    }
}

package dev.antler.multipart;

/**
 * Bounds on what {@link MultipartScanner} accepts and buffers.
 *
 * @param maxTextFieldBytes largest value of a part without a filename (text parts are the only buffered ones)
 * @param maxParts          most parts in one body
 * @param maxHeaderBytes    largest header block of one part, including its line endings
 */
public record Limits(int maxTextFieldBytes, int maxParts, int maxHeaderBytes) {

    public static final int DEFAULT_MAX_TEXT_FIELD_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_PARTS = 1000;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

    public Limits {
        requirePositive("maxTextFieldBytes", maxTextFieldBytes);
        requirePositive("maxParts", maxParts);
        requirePositive("maxHeaderBytes", maxHeaderBytes);
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_TEXT_FIELD_BYTES, DEFAULT_MAX_PARTS, DEFAULT_MAX_HEADER_BYTES);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}

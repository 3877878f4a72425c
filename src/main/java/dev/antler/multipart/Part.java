package dev.antler.multipart;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One part of a multipart/form-data body, as located in the stream.
 *
 * @param name         the {@code name} parameter of its Content-Disposition
 * @param filename     the {@code filename} (or decoded {@code filename*}) parameter, or null for a text field
 * @param contentType  its Content-Type header value, or null if absent
 * @param start        absolute offset of the {@code --boundary} line that opens the part: with
 *                     {@link #segmentEnd()} it bounds the part's whole segment (boundary line, headers,
 *                     value), so a part can be cut out of the body, or a new one put before it, and the
 *                     rest stays well-formed. The CRLF before that line belongs to the previous value's
 *                     delimiter (RFC 2046), and the first boundary line may have none, hence this choice.
 * @param valueStart   absolute offset of the first value byte in the whole body
 * @param valueEnd     absolute offset just past the last value byte (the CRLF of the next delimiter)
 * @param leadingBytes the first up to {@value #MAX_LEADING_BYTES} bytes of the value, for file-type sniffing
 */
public record Part(String name, String filename, String contentType,
                   long start, long valueStart, long valueEnd, byte[] leadingBytes) {

    public static final int MAX_LEADING_BYTES = 16;

    public Part {
        requireNonNull(name, "name");
        requireNonNull(leadingBytes, "leadingBytes");
        if (valueStart < 0 || valueEnd < valueStart) {
            throw new IllegalArgumentException(
                    "part value range: [" + valueStart + ", " + valueEnd + ") (expected: 0 <= start <= end)");
        }
        if (start < 0 || start > valueStart) {
            throw new IllegalArgumentException(
                    "part start: " + start + " (expected: 0 <= start <= valueStart " + valueStart + ")");
        }
        if (leadingBytes.length != Math.min(MAX_LEADING_BYTES, valueEnd - valueStart)) {
            throw new IllegalArgumentException("part leading bytes: " + leadingBytes.length
                    + " (expected: min(" + MAX_LEADING_BYTES + ", " + (valueEnd - valueStart) + "))");
        }
        leadingBytes = leadingBytes.clone();
    }

    /** Value length in bytes. */
    public long size() {
        return valueEnd - valueStart;
    }

    /**
     * Absolute offset just past the part's segment: the {@code --boundary} line of the next part or of
     * the close delimiter, which always follows the value's CRLF.
     */
    public long segmentEnd() {
        return valueEnd + 2;
    }

    /** True if the part carries a filename; such parts are never buffered. */
    public boolean isFile() {
        return filename != null;
    }

    @Override
    public byte[] leadingBytes() {
        return leadingBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Part p
                && name.equals(p.name)
                && Objects.equals(filename, p.filename)
                && Objects.equals(contentType, p.contentType)
                && start == p.start
                && valueStart == p.valueStart
                && valueEnd == p.valueEnd
                && Arrays.equals(leadingBytes, p.leadingBytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, filename, contentType, start, valueStart, valueEnd, Arrays.hashCode(leadingBytes));
    }

    @Override
    public String toString() {
        return "Part[name=" + name + ", filename=" + filename + ", contentType=" + contentType
                + ", start=" + start + ", valueStart=" + valueStart + ", valueEnd=" + valueEnd
                + ", leadingBytes=" + HexFormat.of().formatHex(leadingBytes) + "]";
    }
}

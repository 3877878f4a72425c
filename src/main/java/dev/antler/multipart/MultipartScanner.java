package dev.antler.multipart;

import static dev.antler.multipart.MultipartException.quoted;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Observes a multipart/form-data body (RFC 7578, RFC 2046) chunk by chunk without keeping it: records where
 * each part's value lies in the stream and buffers only parts without a filename (text fields), up to
 * {@link Limits#maxTextFieldBytes()}. Memory stays bounded by the limits whatever the size of file parts.
 *
 * <p>Line endings must be CRLF. A delimiter ({@code CRLF--boundary}) followed by anything but {@code --},
 * whitespace or CRLF is part content, as in Go's {@code mime/multipart}. Not thread-safe.
 */
public final class MultipartScanner {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DASH = '-';
    private static final byte[] DASH_BYTES = {DASH};
    private static final int MAX_BOUNDARY_LENGTH = 70;
    private static final int INITIAL_BUFFER_BYTES = 256;

    private enum State {
        /** Preamble (no open part) or part value: looking for the delimiter. */
        SCAN,
        /** A full delimiter was just matched; the next byte decides whether it really is one. */
        DELIMITER,
        /** Delimiter then one '-': a close delimiter if another '-' follows. */
        DELIMITER_DASH,
        /** Transport padding (spaces, tabs) after a delimiter. */
        PADDING,
        /** CR ending the delimiter line; LF must follow. */
        DELIMITER_CR,
        HEADERS,
        EPILOGUE
    }

    private final String boundary;
    private final byte[] delimiter;
    private final Limits limits;
    private final List<Part> parts = new ArrayList<>();
    private final Map<String, String> textFields = new LinkedHashMap<>();

    private State state = State.SCAN;
    // Bytes of the delimiter matched so far, still held back from the part value. Starts at 2 because the
    // body may open with "--boundary": the CRLF is conceptually part of the first delimiter.
    private int matched = 2;
    private long position;
    private long chunkBase;
    private long delimiterStart;
    private int partCount;
    private int paddingBytes;

    private byte[] headerBuffer = new byte[INITIAL_BUFFER_BYTES];
    private int headerLength;

    private PartHeaders current;
    private long partStart;
    private long valueStart;
    private final byte[] leading = new byte[Part.MAX_LEADING_BYTES];
    private int leadingLength;
    private boolean bufferingText;
    private byte[] textBuffer = new byte[0];
    private int textLength;

    private boolean finished;
    private MultipartException failure;

    /**
     * @throws MultipartException if the boundary is not 1 to 70 printable ASCII characters
     */
    public MultipartScanner(String boundary, Limits limits) {
        requireNonNull(boundary, "boundary");
        this.limits = requireNonNull(limits, "limits");
        // No CR in the boundary means a delimiter can only start at a CR: matching needs no lookbehind.
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH
                || !boundary.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new MultipartException("multipart boundary", quoted(boundary),
                    "1 to " + MAX_BOUNDARY_LENGTH + " printable ASCII characters");
        }
        this.boundary = boundary;
        this.delimiter = ("\r\n--" + boundary).getBytes(ISO_8859_1);
    }

    /**
     * The boundary of a {@code multipart/form-data} Content-Type header value, quoted or not; empty if the
     * value is null, malformed, of another media type, or has no boundary.
     */
    public static Optional<String> boundaryOf(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        try {
            HeaderValue value = HeaderValue.parse("Content-Type", contentType);
            String boundary = value.params().get("boundary");
            return value.type().equals("multipart/form-data") && boundary != null && !boundary.isEmpty()
                    ? Optional.of(boundary)
                    : Optional.empty();
        } catch (MultipartException e) {
            return Optional.empty();
        }
    }

    public void feed(byte[] data) {
        feed(requireNonNull(data, "data"), 0, data.length);
    }

    /**
     * Observes the next bytes of the body; chunks may split it anywhere. The array is not retained.
     *
     * @throws MultipartException    if the body is malformed or exceeds a limit; every later call throws it again
     * @throws IllegalStateException after {@link #finish()}
     */
    public void feed(byte[] data, int offset, int length) {
        requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        checkOpen();
        chunkBase = position - offset;
        int end = offset + length;
        try {
            int i = offset;
            while (i < end) {
                i = switch (state) {
                    case SCAN -> scan(data, i, end);
                    case HEADERS -> header(data, i, end);
                    case EPILOGUE -> end;
                    case DELIMITER, DELIMITER_DASH, PADDING, DELIMITER_CR -> delimiterLine(data[i], i);
                };
            }
        } catch (MultipartException e) {
            failure = e;
            throw e;
        }
        position += length;
    }

    /**
     * Marks the end of the body.
     *
     * @throws MultipartException if the close delimiter {@code --boundary--} was not seen
     */
    public void finish() {
        checkOpen();
        finished = true;
        if (state != State.EPILOGUE) {
            failure = new MultipartException("multipart body", "truncated " + where(),
                    "closing boundary " + quoted("--" + boundary + "--"));
            throw failure;
        }
    }

    /** Completed parts so far, in stream order; a part completes when the delimiter after it is seen. */
    public List<Part> parts() {
        return List.copyOf(parts);
    }

    public Optional<Part> firstPart(String name) {
        requireNonNull(name, "name");
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Values of completed parts without a filename, decoded as UTF-8; the first part of a name wins. */
    public Map<String, String> textFields() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(textFields));
    }

    /** Bytes held in internal buffers, for tests asserting that memory does not follow the body size. */
    int bufferedCapacity() {
        return headerBuffer.length + textBuffer.length + leading.length;
    }

    private int scan(byte[] data, int from, int end) {
        int i = from;
        while (i < end) {
            if (matched == 0) {
                int start = i;
                while (i < end && data[i] != CR) {
                    i++;
                }
                value(data, start, i);
                if (i == end) {
                    return end;
                }
                matched = 1;
                i++;
            } else if (data[i] == delimiter[matched]) {
                i++;
                if (++matched == delimiter.length) {
                    delimiterStart = chunkBase + i - delimiter.length;
                    matched = 0;
                    state = State.DELIMITER;
                    return i;
                }
            } else {
                // The held bytes are a delimiter prefix, whose only CR is its first byte: all are value,
                // and data[i] is looked at again as a possible delimiter start.
                value(delimiter, 0, matched);
                matched = 0;
            }
        }
        return end;
    }

    private int delimiterLine(byte b, int i) {
        switch (state) {
            case DELIMITER -> {
                if (b == DASH) {
                    state = State.DELIMITER_DASH;
                } else if (b == ' ' || b == '\t') {
                    closePart();
                    paddingBytes = 1;
                    state = State.PADDING;
                } else if (b == CR) {
                    closePart();
                    state = State.DELIMITER_CR;
                } else {
                    return notADelimiter(i, false);
                }
            }
            case DELIMITER_DASH -> {
                if (b != DASH) {
                    return notADelimiter(i, true);
                }
                closePart();
                state = State.EPILOGUE;
            }
            case PADDING -> {
                if (b == CR) {
                    state = State.DELIMITER_CR;
                } else if (b != ' ' && b != '\t') {
                    throw badDelimiterLine(b);
                } else if (++paddingBytes > limits.maxHeaderBytes()) {
                    throw new MultipartException("multipart boundary padding", "more than "
                            + limits.maxHeaderBytes() + " bytes", "<= " + limits.maxHeaderBytes() + " bytes");
                }
            }
            case DELIMITER_CR -> {
                if (b != LF) {
                    throw badDelimiterLine(b);
                }
                openPart();
            }
            default -> throw new IllegalStateException("state: " + state);
        }
        return i + 1;
    }

    /** "--boundary" followed by other text: it and the held bytes are value, scanning resumes at {@code i}. */
    private int notADelimiter(int i, boolean dash) {
        value(delimiter, 0, delimiter.length);
        if (dash) {
            value(DASH_BYTES, 0, 1);
        }
        state = State.SCAN;
        return i;
    }

    private MultipartException badDelimiterLine(byte b) {
        return new MultipartException("multipart boundary line", String.format("byte 0x%02x after boundary", b),
                "optional spaces then CRLF");
    }

    private void openPart() {
        if (++partCount > limits.maxParts()) {
            throw new MultipartException("multipart part count", partCount, "<= " + limits.maxParts());
        }
        // The "--boundary" line, without the CRLF that ends the previous value (absent at the body start,
        // where the delimiter match begins two bytes early).
        partStart = delimiterStart + 2;
        headerLength = 0;
        state = State.HEADERS;
    }

    private int header(byte[] data, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = data[i];
            if (headerLength == limits.maxHeaderBytes()) {
                throw new MultipartException("multipart part header block", "more than "
                        + limits.maxHeaderBytes() + " bytes", "<= " + limits.maxHeaderBytes() + " bytes");
            }
            if (b == LF && (headerLength == 0 || headerBuffer[headerLength - 1] != CR)) {
                throw new MultipartException("multipart part header line ending", "bare LF", "CRLF");
            }
            if (headerLength == headerBuffer.length) {
                headerBuffer = Arrays.copyOf(headerBuffer,
                        Math.min(limits.maxHeaderBytes(), 2 * headerBuffer.length));
            }
            headerBuffer[headerLength++] = b;
            // An LF two bytes before this CRLF cannot be bare, so it ends the CRLF CRLF of the empty line.
            if (b == LF && (headerLength == 2 || headerBuffer[headerLength - 3] == LF)) {
                openValue(chunkBase + i + 1);
                return i + 1;
            }
        }
        return end;
    }

    private void openValue(long start) {
        current = PartHeaders.parse(headerBuffer, headerLength);
        valueStart = start;
        leadingLength = 0;
        bufferingText = current.filename() == null;
        textLength = 0;
        state = State.SCAN;
    }

    private void value(byte[] bytes, int from, int to) {
        if (current == null || from == to) {
            return; // preamble
        }
        if (leadingLength < leading.length) {
            int n = Math.min(to - from, leading.length - leadingLength);
            System.arraycopy(bytes, from, leading, leadingLength, n);
            leadingLength += n;
        }
        if (bufferingText) {
            appendText(bytes, from, to - from);
        }
    }

    private void appendText(byte[] bytes, int from, int length) {
        int max = limits.maxTextFieldBytes();
        if (length > max - textLength) {
            throw new MultipartException("multipart text field " + quoted(current.name()) + " size",
                    "more than " + max + " bytes", "<= " + max + " bytes, or a file part with a filename");
        }
        int needed = textLength + length;
        if (needed > textBuffer.length) {
            int grown = Math.max(INITIAL_BUFFER_BYTES, 2 * textBuffer.length);
            textBuffer = Arrays.copyOf(textBuffer, Math.min(max, Math.max(needed, grown)));
        }
        System.arraycopy(bytes, from, textBuffer, textLength, length);
        textLength = needed;
    }

    private void closePart() {
        if (current == null) {
            return; // the first delimiter ends the preamble
        }
        parts.add(new Part(current.name(), current.filename(), current.contentType(), partStart, valueStart,
                delimiterStart, Arrays.copyOf(leading, leadingLength)));
        if (bufferingText) {
            textFields.putIfAbsent(current.name(), new String(textBuffer, 0, textLength, UTF_8));
        }
        current = null;
    }

    private String where() {
        return switch (state) {
            case SCAN -> current != null ? "in part " + quoted(current.name()) : "before any boundary";
            case HEADERS -> "in part headers";
            default -> "after a boundary";
        };
    }

    private void checkOpen() {
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            throw new IllegalStateException("multipart scanner: finished (expected: no input after finish())");
        }
    }
}

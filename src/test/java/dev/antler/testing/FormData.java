package dev.antler.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * multipart/form-data for tests: builds a body byte for byte, and splits a received one into its
 * parts. Deliberately independent of the gateway's own multipart scanner.
 */
public final class FormData {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

    /** One part: {@code filename} and {@code contentType} are null for a text field. */
    public record Part(String name, String filename, String contentType, byte[] content) {

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final String boundary;
    private final List<Part> parts;

    private FormData(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public List<Part> parts() {
        return parts;
    }

    public Optional<Part> part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The body on the wire. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(part.name()).append('"');
            if (part.filename() != null) {
                head.append("; filename=\"").append(part.filename()).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Splits {@code body}, sent with {@code contentType}, into its parts. */
    public static FormData parse(byte[] body, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!m.find()) {
            throw new IllegalArgumentException("Content-Type: " + contentType + " (expected: a multipart boundary)");
        }
        String boundary = m.group(1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] first = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, first, 0);
        if (at < 0) {
            throw new IllegalArgumentException("multipart body: no opening boundary " + boundary);
        }
        List<Part> parts = new ArrayList<>();
        int cursor = at + first.length;
        while (!(body[cursor] == '-' && body[cursor + 1] == '-')) {
            int headStart = cursor + 2; // CRLF after the boundary
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headStart);
            String head = new String(body, headStart, headEnd - headStart, StandardCharsets.UTF_8);
            int contentStart = headEnd + 4;
            int next = indexOf(body, delimiter, contentStart);
            if (next < 0) {
                throw new IllegalArgumentException("multipart body: part without closing boundary");
            }
            byte[] content = Arrays.copyOfRange(body, contentStart, next);
            parts.add(new Part(group(NAME, head), group(FILENAME, head), header(head, "Content-Type"), content));
            cursor = next + delimiter.length;
        }
        return new FormData(boundary, parts);
    }

    private static String group(Pattern pattern, String head) {
        Matcher m = pattern.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static final class Builder {

        private final List<Part> parts = new ArrayList<>();
        private String boundary = "----antler-test-boundary-7MA4YWxkTrZu0gW";

        public Builder boundary(String boundary) {
            this.boundary = boundary;
            return this;
        }

        public Builder field(String name, String value) {
            parts.add(new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        public Builder file(String name, String filename, String contentType, byte[] content) {
            parts.add(new Part(name, filename, contentType, content));
            return this;
        }

        public FormData build() {
            return new FormData(boundary, parts);
        }
    }
}

package dev.antler.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.antler.multipart.Part;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the upstream body of a spooled multipart request as pieces of its spool file, so images are
 * sent from disk byte for byte: parts can be dropped (their whole segment, from their boundary line to
 * the next), a text part's value replaced, and text fields added before the close delimiter. Everything
 * else, boundary included, stays exactly as the client sent it.
 */
public final class FormEdit {

    private final RequestBody.Spooled body;
    private final String boundary;
    private final Set<Long> dropped = new HashSet<>();
    private final Map<Long, byte[]> replaced = new HashMap<>();
    private final List<String[]> appended = new ArrayList<>();

    public FormEdit(RequestBody.Spooled body, String boundary) {
        this.body = requireNonNull(body, "body");
        this.boundary = requireNonNull(boundary, "boundary");
    }

    public FormEdit drop(Part part) {
        dropped.add(part.start());
        return this;
    }

    public FormEdit replace(Part part, byte[] value) {
        replaced.put(part.start(), value.clone());
        return this;
    }

    /** Adds a text field after the last part; {@code name} must need no quoting (letters, digits, _ - [ ]). */
    public FormEdit append(String name, String value) {
        if (!name.matches("[A-Za-z0-9_\\-\\[\\]]+")) {
            throw new IllegalArgumentException("field name: " + name + " (expected: letters, digits, _ - [ ])");
        }
        appended.add(new String[] {name, value});
        return this;
    }

    public UpstreamRequest.FilePieces pieces() {
        List<Part> parts = body.scanner().parts();
        List<UpstreamRequest.Piece> pieces = new ArrayList<>();
        long cursor = 0;
        for (Part part : parts) {
            if (dropped.contains(part.start())) {
                range(pieces, cursor, part.start());
                cursor = part.segmentEnd();
            } else if (replaced.containsKey(part.start())) {
                range(pieces, cursor, part.valueStart());
                pieces.add(new UpstreamRequest.Literal(replaced.get(part.start())));
                cursor = part.valueEnd();
            }
        }
        if (!appended.isEmpty()) {
            if (parts.isEmpty()) {
                throw new IllegalStateException("multipart body without parts: nowhere to add fields");
            }
            long close = parts.get(parts.size() - 1).segmentEnd();
            range(pieces, cursor, close);
            StringBuilder fields = new StringBuilder();
            for (String[] field : appended) {
                fields.append("--").append(boundary).append("\r\n")
                        .append("Content-Disposition: form-data; name=\"").append(field[0]).append("\"\r\n\r\n")
                        .append(field[1]).append("\r\n");
            }
            pieces.add(new UpstreamRequest.Literal(fields.toString().getBytes(UTF_8)));
            cursor = close;
        }
        range(pieces, cursor, body.length());
        return new UpstreamRequest.FilePieces(body.file(), List.copyOf(pieces));
    }

    private static void range(List<UpstreamRequest.Piece> pieces, long from, long to) {
        if (to > from) {
            pieces.add(new UpstreamRequest.FileRange(from, to));
        }
    }
}

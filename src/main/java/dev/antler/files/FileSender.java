package dev.antler.files;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a request with a stored file, honouring a single {@code Range} ({@code bytes=a-b}, {@code bytes=a-},
 * {@code bytes=-n}): 206 with {@code Content-Range}, 416 when it starts past the end; a range it does not read
 * (several ranges, nonsense) gets the whole file, as RFC 9110 allows. The bytes come from the {@link FileStore}
 * as the client takes them (from disk, or streamed from the bucket), never read into memory; the headers are the
 * gateway's own, whatever the storage answered.
 */
public final class FileSender {

    private static final Pattern RANGE = Pattern.compile("bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    /** The bytes {@code first..last} (inclusive) of a file; {@code partial}: answered as 206. */
    record Span(long first, long last, boolean partial) {
        long length() {
            return last - first + 1;
        }
    }

    private FileSender() {}

    /** Sends {@code file}, kept in {@code store}, for a GET or HEAD. */
    public static void send(Exchange ex, FileStore store, FileStore.Stored file) {
        requireNonNull(file, "file");
        long size = file.size();
        HttpServerResponse out = ex.response();
        out.putHeader("Accept-Ranges", "bytes");
        Span span = span(ex.request().getHeader("Range"), size);
        if (span == null) {
            out.putHeader("Content-Range", "bytes */" + size);
            ex.fail(new GatewayException(416, ErrorKind.INVALID_REQUEST, "range_not_satisfiable", "Range: "
                    + ex.request().getHeader("Range") + " (expected: a range starting before byte " + size + ")"));
            return;
        }
        out.setStatusCode(span.partial() ? 206 : 200).putHeader("Content-Type", file.contentType())
                .putHeader("Content-Length", Long.toString(span.length()));
        if (span.partial()) {
            out.putHeader("Content-Range", "bytes " + span.first() + "-" + span.last() + "/" + size);
        }
        if (ex.request().method() == HttpMethod.HEAD || span.length() == 0) {
            out.end();
            return;
        }
        store.send(out, file, span.first(), span.length()).onFailure(e -> {
            if (!out.headWritten()) {
                out.headers().clear(); // the file's headers are not the error's
                ex.fail(e instanceof FileStore.StoreUnavailable ? unavailable(file.name()) : e);
            } else {
                out.reset();
            }
        });
    }

    /** The answer when the storage cannot be asked for {@code name}: its reason is logged, not shown (it may name the bucket). */
    static GatewayException unavailable(String name) {
        return new GatewayException(503, ErrorKind.UPSTREAM, "storage_unavailable",
                "file: " + name + " (expected: the gateway's file storage to answer; try again later)");
    }

    /** What {@code range} asks of a file of {@code size} bytes: null when it cannot be satisfied. */
    static Span span(String range, long size) {
        Span whole = new Span(0, size - 1, false);
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()
                || m.group(1).length() > 18 || m.group(2).length() > 18) {
            return whole;
        }
        if (m.group(1).isEmpty()) { // the last n bytes
            long n = Long.parseLong(m.group(2));
            return n == 0 || size == 0 ? null : new Span(Math.max(0, size - n), size - 1, true);
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first) {
            return whole; // not a valid range: ignored
        }
        return first >= size ? null : new Span(first, Math.min(last, size - 1), true);
    }
}

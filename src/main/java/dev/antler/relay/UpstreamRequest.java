package dev.antler.relay;

import java.nio.file.Path;
import java.util.List;

/**
 * A request to send upstream. The body is either bytes in memory or ranges of a spooled file
 * (interleaved with replacement bytes), so a large upload is sent from disk, never from the heap.
 *
 * @param method the HTTP method, upper case ({@code POST})
 */
public record UpstreamRequest(String method, String url, Headers headers, Body body) {

    /** A {@code POST} of {@code body}. */
    public static UpstreamRequest post(String url, Headers headers, Body body) {
        return new UpstreamRequest("POST", url, headers, body);
    }

    public sealed interface Body {
        long length();
    }

    public record Bytes(byte[] bytes) implements Body {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    public record Empty() implements Body {
        @Override
        public long length() {
            return 0;
        }
    }

    /** The body is the concatenation of {@code pieces}: file ranges and literal bytes. */
    public record FilePieces(Path file, List<Piece> pieces) implements Body {
        @Override
        public long length() {
            return pieces.stream().mapToLong(Piece::length).sum();
        }
    }

    public sealed interface Piece {
        long length();
    }

    public record FileRange(long start, long end) implements Piece {
        @Override
        public long length() {
            return end - start;
        }
    }

    public record Literal(byte[] bytes) implements Piece {
        @Override
        public long length() {
            return bytes.length;
        }
    }
}

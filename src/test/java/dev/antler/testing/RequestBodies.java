package dev.antler.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.antler.limits.BodyBudget;
import dev.antler.multipart.Limits;
import dev.antler.multipart.MultipartScanner;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Request bodies as the relay hands them to an operation, made without a server (a JSON body in memory, a
 * form spooled to a file), and the bytes of an upstream body, for tests of the family adaptors.
 */
public final class RequestBodies {

    private RequestBodies() {}

    /** A JSON body in memory, counted in a budget of its own. */
    public static RequestBody.InMemory json(String json) {
        return new RequestBody.InMemory(json.getBytes(UTF_8), new BodyBudget(64L * 1024 * 1024).lease());
    }

    /** {@code form} written to a file in {@code directory} and scanned, as the relay spools an upload. */
    public static RequestBody.Spooled spooled(Path directory, FormData form) {
        byte[] bytes = form.bytes();
        try {
            Path file = Files.createTempFile(directory, "upload-", ".part");
            Files.write(file, bytes);
            MultipartScanner scanner = new MultipartScanner(MultipartScanner.boundaryOf(form.contentType()).orElseThrow(),
                    Limits.defaults());
            scanner.feed(bytes);
            scanner.finish();
            return new RequestBody.Spooled(file, bytes.length, form.contentType(), scanner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes {@code body} sends: its array, or its pieces read from the spool file. */
    public static byte[] bytes(UpstreamRequest.Body body) {
        return switch (body) {
            case UpstreamRequest.Bytes bytes -> bytes.bytes();
            case UpstreamRequest.Empty empty -> new byte[0];
            case UpstreamRequest.FilePieces pieces -> assemble(pieces);
        };
    }

    private static byte[] assemble(UpstreamRequest.FilePieces pieces) {
        try {
            byte[] file = Files.readAllBytes(pieces.file());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (UpstreamRequest.Piece piece : pieces.pieces()) {
                switch (piece) {
                    case UpstreamRequest.FileRange range -> out.write(file, (int) range.start(), (int) range.length());
                    case UpstreamRequest.Literal literal -> out.writeBytes(literal.bytes());
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

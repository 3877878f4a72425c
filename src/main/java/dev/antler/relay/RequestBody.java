package dev.antler.relay;

import dev.antler.multipart.MultipartScanner;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/** The client's request body as read by the relay: in memory (JSON) or spooled to a file (multipart). */
public sealed interface RequestBody {

    record None() implements RequestBody {}

    record InMemory(Buffer bytes) implements RequestBody {}

    /** A multipart body written to {@code file} as it arrived; {@code scanner} holds its text fields and part offsets. */
    record Spooled(Path file, long length, String contentType, MultipartScanner scanner) implements RequestBody {}
}

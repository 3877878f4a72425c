package dev.antler.relay;

import dev.antler.limits.BodyBudget;
import dev.antler.multipart.MultipartScanner;
import java.nio.file.Path;

/** The client's request body as read by the relay: in memory (JSON) or spooled to a file (multipart). */
public sealed interface RequestBody {

    /** Frees what the body holds once its request is over (answered, refused or abandoned); idempotent. */
    default void discard() {}

    record None() implements RequestBody {}

    /**
     * A body in memory, counted in the in-flight body budget by {@code lease} until discarded. The array is
     * the one copy every stage reads and the upstream request sends: do not modify it.
     */
    record InMemory(byte[] bytes, BodyBudget.Lease lease) implements RequestBody {

        @Override
        public void discard() {
            lease.release();
        }
    }

    /** A multipart body written to {@code file} as it arrived; {@code scanner} holds its text fields and part offsets. */
    record Spooled(Path file, long length, String contentType, MultipartScanner scanner) implements RequestBody {

        @Override
        public void discard() {
            BodyReader.deleteQuietly(file);
        }
    }
}

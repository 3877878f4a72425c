package dev.antler.relay;

import dev.antler.core.GatewayException;
import dev.antler.json.JsonTreeSize;
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

        /** Counts nothing: for a body the gateway rewrote from one already counted (a capped max_tokens). */
        private static final BodyBudget UNCOUNTED = new BodyBudget(Long.MAX_VALUE);

        /** A body the gateway made itself from a counted one, which stays counted until its request ends. */
        public static InMemory rewritten(byte[] bytes) {
            return new InMemory(bytes, UNCOUNTED.lease());
        }

        @Override
        public void discard() {
            lease.release();
        }

        /**
         * Counts a Jackson tree of this body in the budget too, before one is built, and one rewritten copy of
         * the body (a translation, a renamed model): 413 when that would take more than the whole budget, 503
         * (retry shortly) when the budget has no room for it now.
         */
        public void reserveTree() {
            long total = 2L * bytes.length + JsonTreeSize.estimate(bytes);
            BodyBudget budget = lease.budget();
            if (total > budget.capacity()) {
                throw GatewayException.tooLarge("request body: " + bytes.length + " bytes of JSON, about " + total
                        + " bytes in memory once parsed (expected: at most " + budget.capacity()
                        + ", server.max_inflight_body_bytes; fewer, larger values take less)");
            }
            if (!lease.reserveUpTo(total)) {
                throw budget.exhausted(total - lease.reserved());
            }
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

package dev.antler.relay;

import dev.antler.billing.Usage;
import dev.antler.sse.SseEvent;

/**
 * Observes a successful upstream answer as it is relayed, to find what to bill. It never changes
 * bytes, but for streams it may hold back an event the client did not ask for (the usage chunk
 * the gateway requested on its own behalf).
 */
public interface ResponseTap {

    /** A chunk of a non-streamed body. */
    default void onBytes(byte[] chunk, int offset, int length) {}

    /** A complete SSE event; returns false to keep it from the client. */
    default boolean onEvent(SseEvent event) {
        return true;
    }

    /**
     * A rewriter of the complete answer (non-streamed answers only), or null to relay the upstream's
     * bytes as they come, which is the default.
     */
    default ResponseRewriter rewriter() {
        return null;
    }

    /** What to bill for what was delivered: the upstream's reported usage, else an estimate. */
    Metered meter();

    /**
     * Usage and where it came from: {@code reported} by the upstream, counted from the
     * {@code request}, or {@code estimated} with a tokenizer.
     */
    record Metered(Usage usage, String basis) {

        public static Metered reported(Usage usage) {
            return new Metered(usage, "reported");
        }

        public static Metered fromRequest(Usage usage) {
            return new Metered(usage, "request");
        }

        public static Metered estimated(Usage usage) {
            return new Metered(usage, "estimated");
        }
    }
}

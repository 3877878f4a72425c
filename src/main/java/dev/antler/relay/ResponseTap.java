package dev.antler.relay;

import dev.antler.billing.Usage;
import dev.antler.sse.SseEvent;

/**
 * Observes a successful upstream answer as it is relayed, to find what to bill. For streams it may
 * hold back an event the client did not ask for (the usage chunk the gateway requested on its own
 * behalf); a tap of a translated answer also renders the events, or rewrites the body, in the
 * client's format ({@link #render}, {@link #rewriter}).
 */
public interface ResponseTap {

    /** No bytes: what {@link #render} and {@link #renderEnd} return when there is nothing to send. */
    byte[] NOTHING = new byte[0];

    /** A chunk of a non-streamed body; the array is only valid during the call (the relay reuses it). */
    default void onBytes(byte[] chunk, int offset, int length) {}

    /** A complete SSE event; returns false to keep it from the client. */
    default boolean onEvent(SseEvent event) {
        return true;
    }

    /**
     * The bytes the client gets for an event the tap let through: the event itself, unless the tap
     * translates the stream into another family's format (then possibly none, or several events). The
     * array is sent as it is, never copied: it must not change afterwards.
     */
    default byte[] render(SseEvent event) {
        return event.raw();
    }

    /**
     * Bytes to send after the last event of a stream the upstream ended normally, once the answer was metered
     * ({@code metered}, what {@link #meter} gave): none, unless a translating tap must close the client's stream —
     * an upstream that finished without its end marker, or an end that reports the usage and had none to report
     * before the estimate (counted off the event loop, so rendered here rather than with the end marker).
     */
    default byte[] renderEnd(Metered metered) {
        return NOTHING;
    }

    /**
     * Whether the stream's own last event has been let through to the client (OpenAI's {@code [DONE]},
     * Anthropic's {@code message_stop}, or the one a translating tap rendered): the client holds a complete
     * answer, so an error event after it would only contradict it.
     */
    default boolean streamEndRendered() {
        return false;
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
     * Whether {@link #meter} may count tokens (no usage was reported, so it estimates): the relay then calls it
     * off the event loop, once nothing else reaches the tap. True when unsure; false costs a count on the loop.
     */
    default boolean meterMayCount() {
        return false;
    }

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

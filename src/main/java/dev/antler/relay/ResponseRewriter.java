package dev.antler.relay;

import java.util.concurrent.CompletionStage;

/**
 * Replaces a complete, successful, non-streamed upstream answer before the client sees it (for
 * example, result URLs rewritten to mirrored copies). The answer is buffered up to {@link #maxBytes()};
 * a larger one is relayed unchanged as it comes. The tap still sees the upstream's own bytes.
 */
public interface ResponseRewriter {

    /** The largest answer buffered for rewriting. */
    int maxBytes();

    /**
     * The answer to send instead of {@code body}, with the same meaning: never a failure the client
     * should see. A failed stage sends {@code body} unchanged. The stage may complete on any thread.
     */
    CompletionStage<byte[]> rewrite(byte[] body);
}

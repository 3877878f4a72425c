package dev.antler.http;

import dev.antler.core.GatewayException;
import io.vertx.core.buffer.Buffer;

/** A family's error envelope. */
public interface ErrorFormat {

    /** The body for {@code error}; {@code requestId} is included so users can quote it. */
    Buffer render(GatewayException error, String requestId);

    /** The same error as one event of the family's stream, for failures after a stream has started. */
    Buffer renderStreamEvent(GatewayException error, String requestId);

    /**
     * Whether an upstream's JSON error body is already in this envelope, so it may reach the client
     * as it is; otherwise (an answer translated from another family) it is rendered anew.
     */
    default boolean isOwnEnvelope(String json) {
        return true;
    }
}

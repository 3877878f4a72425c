package dev.antler.http;

import dev.antler.core.GatewayException;
import io.vertx.core.buffer.Buffer;

/** A family's error envelope. */
public interface ErrorFormat {

    /** The body for {@code error}; {@code requestId} is included so users can quote it. */
    Buffer render(GatewayException error, String requestId);

    /** The same error as one event of the family's stream, for failures after a stream has started. */
    Buffer renderStreamEvent(GatewayException error, String requestId);
}

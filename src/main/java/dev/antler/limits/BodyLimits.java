package dev.antler.limits;

import dev.antler.relay.Operation;

/**
 * Request size limits by body kind: JSON is held in memory, so it has its own (smaller) limit;
 * multipart uploads are spooled to disk and limited by {@code server.max_body_bytes}.
 */
public record BodyLimits(long maxJsonBytes, long maxUploadBytes) {

    public long max(Operation.BodyKind kind) {
        return kind == Operation.BodyKind.MULTIPART ? maxUploadBytes : Math.min(maxJsonBytes, maxUploadBytes);
    }
}

package dev.antler.limits;

import static java.util.Objects.requireNonNull;

import dev.antler.relay.Operation;

/**
 * Request size limits by body kind: JSON is held in memory, so it has its own (smaller) limit;
 * multipart uploads are spooled to disk and limited by {@code server.max_body_bytes}. Bodies held in
 * memory also share {@code inflight}, and a body that pauses longer than {@code idleTimeoutMs} is dropped.
 */
public record BodyLimits(long maxJsonBytes, long maxUploadBytes, BodyBudget inflight, long idleTimeoutMs) {

    public BodyLimits {
        requireNonNull(inflight, "inflight");
    }

    public long max(Operation.BodyKind kind) {
        return kind == Operation.BodyKind.MULTIPART ? maxUploadBytes : Math.min(maxJsonBytes, maxUploadBytes);
    }
}

package dev.antler.relay;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Coalesces the bytes relayed from one upstream read into one client write. One read often holds many SSE events,
 * each its own HTTP chunk handed over on its own; writing and flushing each one costs a syscall and a wake-up of
 * the client per event. The upstream connection tells when a read is complete
 * ({@link UpstreamExchange#readCompleteHandler}), and the batch is written then: no event waits for a later read.
 */
final class ReadBatch {

    private final Consumer<Buffer> writer;
    /** The bytes collected: the first buffer added as is, a copy once a second one joins it. */
    private Buffer pending;
    private boolean joined;

    ReadBatch(Consumer<Buffer> writer) {
        this.writer = writer;
    }

    void add(Buffer bytes) {
        if (pending == null) {
            pending = bytes;
        } else {
            if (!joined) {
                joined = true;
                pending = Buffer.buffer(Math.max(1024, 4 * (pending.length() + bytes.length()))).appendBuffer(pending);
            }
            pending.appendBuffer(bytes);
        }
    }

    /** Writes what was collected now: at the end of the read, or before anything that must follow it. */
    void flush() {
        Buffer bytes = take();
        if (bytes != null) {
            writer.accept(bytes);
        }
    }

    /** Hands over what was collected, or null, for the caller to write instead (with the end). */
    Buffer take() {
        Buffer bytes = pending;
        discard();
        return bytes;
    }

    /** Whether nothing waits to be written. */
    boolean isEmpty() {
        return pending == null;
    }

    /** Drops what was collected (the client is gone). */
    void discard() {
        pending = null;
        joined = false;
    }
}

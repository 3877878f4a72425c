package dev.antler.relay;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Coalesces the bytes relayed during one event-loop turn into one client write. One upstream read
 * often holds many SSE events, each its own HTTP chunk handed over on its own; writing and flushing
 * each one costs a syscall and a wake-up of the client per event. The write is a task queued on the
 * event loop, which runs it right after the turn's reads: no event waits for a later upstream read.
 *
 * <p>Without a context (not on an event loop) every buffer is written at once.
 */
final class TurnBatch {

    private final Context context;
    private final Consumer<Buffer> writer;
    /** The bytes of this turn: the first buffer added as is, a copy once a second one joins it. */
    private Buffer pending;
    private boolean joined;
    private boolean scheduled;

    TurnBatch(Context context, Consumer<Buffer> writer) {
        this.context = context;
        this.writer = writer;
    }

    void add(Buffer bytes) {
        if (context == null) {
            writer.accept(bytes);
            return;
        }
        if (pending == null) {
            pending = bytes;
        } else {
            if (!joined) {
                joined = true;
                pending = Buffer.buffer(Math.max(1024, 4 * (pending.length() + bytes.length()))).appendBuffer(pending);
            }
            pending.appendBuffer(bytes);
        }
        if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                flush();
            });
        }
    }

    /** Writes what this turn collected now (before anything that must follow it, such as an error event). */
    void flush() {
        Buffer bytes = take();
        if (bytes != null) {
            writer.accept(bytes);
        }
    }

    /** Hands over what this turn collected, or null, for the caller to write instead (with the end). */
    Buffer take() {
        Buffer bytes = pending;
        discard();
        return bytes;
    }

    /** Drops what this turn collected (the client is gone). */
    void discard() {
        pending = null;
        joined = false;
    }
}

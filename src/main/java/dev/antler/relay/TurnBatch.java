package dev.antler.relay;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Coalesces the bytes relayed from one upstream read into one client write. One read often holds
 * many SSE events, each its own HTTP chunk handed over on its own; writing and flushing each one
 * costs a syscall and a wake-up of the client per event.
 *
 * <p>The chunks of one read are handed over in a row, so a batch is written as soon as another
 * batch of the same event loop starts collecting (another connection's read), and at the latest by
 * a task queued on the event loop, which runs right after the turn's reads: no event waits for a
 * later upstream read. Without a context (not on an event loop) every buffer is written at once.
 */
final class TurnBatch {

    /** The batch of this event-loop thread that holds bytes, if any. */
    private static final ThreadLocal<TurnBatch[]> COLLECTING = ThreadLocal.withInitial(() -> new TurnBatch[1]);

    private final Context context;
    private final Consumer<Buffer> writer;
    /** The bytes collected: the first buffer added as is, a copy once a second one joins it. */
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
        TurnBatch[] collecting = COLLECTING.get();
        if (collecting[0] != this) {
            if (collecting[0] != null) {
                collecting[0].flush();
            }
            collecting[0] = this;
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

    /** Writes what was collected now (before anything that must follow it, such as an error event). */
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
        if (pending == null) {
            return;
        }
        pending = null;
        joined = false;
        TurnBatch[] collecting = COLLECTING.get();
        if (collecting[0] == this) {
            collecting[0] = null;
        }
    }
}

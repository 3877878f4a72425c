package dev.antler.relay;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Where the family's bytes meet Vert.x: arrays handed to the transport without a copy. */
final class Buffers {

    private Buffers() {}

    /**
     * {@code bytes} as a Buffer over the same array ({@code Buffer.buffer(bytes)} would copy it): for arrays
     * nobody changes afterwards (request bodies, rendered events, rewritten answers). It cannot grow.
     */
    static Buffer wrap(byte[] bytes) {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
    }
}

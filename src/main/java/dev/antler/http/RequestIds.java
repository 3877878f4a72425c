package dev.antler.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: sortable by time, unique within and (with high probability) across instances. The id of the
 * request being served is kept in its Vert.x context (each request runs on its own duplicate of the event
 * loop's context, and so do the callbacks it starts), not in a thread local: event-loop threads serve many
 * requests in turn, so only the context says which request a log line belongs to.
 */
public final class RequestIds {

    private static final Object CONTEXT_KEY = new Object();

    private static final AtomicLong COUNTER = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));
    private static final String INSTANCE = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    private RequestIds() {}

    /** Marks the current request's context (when there is one of its own) as serving {@code requestId}. */
    public static void bind(String requestId) {
        if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
            context.putLocal(CONTEXT_KEY, requestId);
        }
    }

    /** The id of the request whose work runs now on this thread, or null outside a request. */
    public static String current() {
        Context context = Vertx.currentContext();
        return context instanceof ContextInternal internal && internal.isDuplicate()
                ? internal.getLocal(CONTEXT_KEY) : null;
    }

    public static String next() {
        long count = COUNTER.incrementAndGet() & 0xFFFFFF;
        return "req_" + Long.toString(System.currentTimeMillis(), 36) + INSTANCE + Long.toString(count | 0x1000000, 36);
    }
}

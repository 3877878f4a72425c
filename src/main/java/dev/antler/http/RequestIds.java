package dev.antler.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Request ids: sortable by time, unique within and (with high probability) across instances. */
public final class RequestIds {

    private static final AtomicLong COUNTER = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));
    private static final String INSTANCE = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    private RequestIds() {}

    public static String next() {
        long count = COUNTER.incrementAndGet() & 0xFFFFFF;
        return "req_" + Long.toString(System.currentTimeMillis(), 36) + INSTANCE + Long.toString(count | 0x1000000, 36);
    }
}

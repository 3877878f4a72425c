package dev.antler.limits;

import dev.antler.core.ErrorKind;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies held in memory across all requests, against one budget
 * ({@code server.max_inflight_body_bytes}). A request reserves its declared length up front, or grows
 * its reservation as chunks arrive, through a {@link Lease}; past the budget it is refused with 503
 * rather than read, so no mix of clients can fill the heap. Lock-free: one compare-and-set per reservation.
 */
public final class BodyBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes reserved now by requests in flight. */
    public long inUse() {
        return used.get();
    }

    /** A lease with nothing reserved yet. */
    public Lease lease() {
        return new Lease();
    }

    private boolean tryReserve(long bytes) {
        long current;
        do {
            current = used.get();
            if (current + bytes > capacity) {
                return false;
            }
        } while (!used.compareAndSet(current, current + bytes));
        return true;
    }

    /** The 503 a request gets when its body does not fit in the budget; retrying shortly can succeed. */
    public LimitExceeded exhausted(long wanted) {
        return new LimitExceeded(503, ErrorKind.SERVER, "server_busy", "request bodies in memory: "
                + used.get() + " bytes held by requests in flight, this one needs " + wanted
                + " more (expected: at most " + capacity
                + " in total, server.max_inflight_body_bytes; retry after 1 s)", 1);
    }

    /**
     * One request's share of the budget. Used by one request on its event loop; {@link #release} may come
     * from any thread and only once takes effect.
     */
    public final class Lease {

        private final AtomicLong reserved = new AtomicLong();
        private volatile boolean released;

        private Lease() {}

        /**
         * Makes the reservation at least {@code total} bytes; false (nothing more reserved) when the budget
         * has no room. Cheap when {@code total} is already covered: no atomic operation on the shared counter.
         */
        public boolean reserveUpTo(long total) {
            long more = total - reserved.get();
            if (more <= 0) {
                return true;
            }
            if (released || !tryReserve(more)) {
                return false;
            }
            reserved.addAndGet(more);
            if (released) { // released meanwhile from another thread: give back what was just taken
                used.addAndGet(-reserved.getAndSet(0));
            }
            return true;
        }

        public long reserved() {
            return reserved.get();
        }

        /** The budget this lease draws on. */
        public BodyBudget budget() {
            return BodyBudget.this;
        }

        /** Returns everything reserved to the budget; later calls do nothing. */
        public void release() {
            released = true;
            long bytes = reserved.getAndSet(0);
            if (bytes > 0) {
                used.addAndGet(-bytes);
            }
        }
    }
}

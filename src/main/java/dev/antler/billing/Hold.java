package dev.antler.billing;

import java.util.concurrent.atomic.AtomicBoolean;

/** Money reserved for one request in flight; settled or released exactly once. */
public final class Hold {

    private final long userId;
    private final long keyId;
    private final long amount;
    private final long userReserved;
    private final long keyReserved;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The request id this hold is recorded under in the store ({@link StoredHolds}), or null. */
    private volatile String storedAs;

    /** {@code userReserved} and {@code keyReserved}: what the wallets hold, the amount plus their overrun reserve. */
    Hold(long userId, long keyId, long amount, long userReserved, long keyReserved) {
        this.userId = userId;
        this.keyId = keyId;
        this.amount = amount;
        this.userReserved = userReserved;
        this.keyReserved = keyReserved;
    }

    public long userId() {
        return userId;
    }

    public long keyId() {
        return keyId;
    }

    public long amount() {
        return amount;
    }

    /** The request id this hold is recorded under in the store, or null when it is held in memory only. */
    public String storedAs() {
        return storedAs;
    }

    void storedAs(String requestId) {
        this.storedAs = requestId;
    }

    /** Whether nothing is reserved (a free call's hold): no balance can refuse it, and no store records it. */
    boolean reservesNothing() {
        return amount == 0 && userReserved == 0 && keyReserved == 0;
    }

    public long userReserved() {
        return userReserved;
    }

    public long keyReserved() {
        return keyReserved;
    }

    /** True the first time only: guards against settling twice. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }
}

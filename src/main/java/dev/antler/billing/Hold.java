package dev.antler.billing;

import java.util.concurrent.atomic.AtomicBoolean;

/** Money reserved for one request in flight; settled or released exactly once. */
public final class Hold {

    private final long userId;
    private final long keyId;
    private final long amount;
    private final AtomicBoolean closed = new AtomicBoolean();

    Hold(long userId, long keyId, long amount) {
        this.userId = userId;
        this.keyId = keyId;
        this.amount = amount;
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

    /** True the first time only: guards against settling twice. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }
}

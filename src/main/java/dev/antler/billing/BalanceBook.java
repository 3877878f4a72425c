package dev.antler.billing;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.User;
import dev.antler.core.GatewayException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Holds and settlements against users' balances and keys' spend limits, in memory. The sum of holds
 * in flight never exceeds what is available, so concurrent requests cannot overspend; a request whose
 * real cost exceeds its hold is still charged in full, and from then on every hold on that balance
 * reserves the excess too ({@link Wallet}), so that later requests in flight together stay covered.
 */
public final class BalanceBook {

    private final ConcurrentHashMap<Long, Wallet> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Wallet> keys = new ConcurrentHashMap<>();
    private final LedgerBacklog backlog;
    private volatile StoredHolds stored = StoredHolds.NONE;

    /** A book whose holds are refused while {@code backlog} says charges cannot be recorded. */
    public BalanceBook(LedgerBacklog backlog) {
        this.backlog = backlog;
    }

    /** A book that never refuses for the writer's sake (tests that drive a writer directly). */
    public BalanceBook() {
        this(LedgerBacklog.unbounded());
    }

    public LedgerBacklog backlog() {
        return backlog;
    }

    /** Where holds are also recorded while other instances share the store (set once at start). */
    public void storeHoldsIn(StoredHolds holds) {
        this.stored = holds;
    }

    public StoredHolds storedHolds() {
        return stored;
    }

    /**
     * Completes once {@code hold} (taken in memory) is also recorded where the instances share holds (the store, or
     * Redis) for {@code requestId}, or fails with the 403 when the stored balance, less every other instance's
     * holds, does not cover it. While this instance is the only one live — or for a hold of nothing
     * ({@link #free}), which no balance can refuse — it completes at once: no store round trip. The store work
     * runs on {@code blocking}, never on the caller's thread.
     */
    public CompletableFuture<Void> confirm(Hold hold, String requestId, Executor blocking) {
        StoredHolds holds = stored;
        if (!holds.active() || hold.reservesNothing()) {
            return CONFIRMED;
        }
        return holds.takeAsync(hold, requestId, blocking).thenRun(() -> hold.storedAs(requestId));
    }

    private static final CompletableFuture<Void> CONFIRMED = CompletableFuture.completedFuture(null);

    /** {@link #hold(User, ApiKey, long, String)} without a note. */
    public Hold hold(User user, ApiKey key, long amount) {
        return hold(user, key, amount, "");
    }

    /**
     * Reserves {@code amount} (plus each wallet's overrun reserve, see {@link Wallet}) on both the user's
     * balance and the key's limit, or throws: 403 with {@code refusalNote} appended to the message when the
     * money is not there, 503 while the store cannot record charges (no paid work is answered unrecorded).
     */
    public Hold hold(User user, ApiKey key, long amount, String refusalNote) {
        backlog.admitPaidWork();
        Wallet wallet = userWallet(user);
        Wallet keyBudget = keyWallet(key);
        long userReserved = wallet.tryHold(amount);
        if (userReserved < 0) {
            throw refusal("insufficient balance: ", " USD available", wallet, amount, refusalNote);
        }
        long keyReserved = keyBudget == null ? 0 : keyBudget.tryHold(amount);
        if (keyReserved < 0) {
            wallet.release(userReserved);
            throw refusal("key spend limit reached: ", " USD left on this key", keyBudget, amount, refusalNote);
        }
        return new Hold(user.id(), key.id(), amount, userReserved, keyReserved);
    }

    /**
     * A hold of nothing, for a call the upstream does not charge (a stored response read): never refused, since a
     * free call needs no balance, and settled like any other hold (at zero).
     */
    public Hold free(User user, ApiKey key) {
        userWallet(user);
        keyWallet(key);
        return new Hold(user.id(), key.id(), 0, 0, 0);
    }

    /** What a new hold can take now from both the user's balance and the key's limit. */
    public long available(User user, ApiKey key) {
        Wallet keyBudget = keyWallet(key);
        long available = userWallet(user).available();
        return keyBudget == null ? available : Math.min(available, keyBudget.available());
    }

    /**
     * Throws the 403 {@link #hold} would throw for {@code minimum} (the least any request can need), holding
     * nothing: a request that cannot be paid for is refused before its body is read.
     */
    public void checkAvailable(User user, ApiKey key, long minimum) {
        Wallet wallet = userWallet(user);
        if (wallet.available() < minimum) {
            throw refusal("insufficient balance: ", " USD available", wallet, minimum, "");
        }
        Wallet keyBudget = keyWallet(key);
        if (keyBudget != null && keyBudget.available() < minimum) {
            throw refusal("key spend limit reached: ", " USD left on this key", keyBudget, minimum, "");
        }
    }

    /** Replaces the hold by the real charge; returns false if the hold was already settled. */
    public boolean settle(Hold hold, long charge) {
        if (!settleInBook(hold, charge)) {
            return false;
        }
        if (hold.storedAs() != null) {
            stored.settled(hold);
        }
        return true;
    }

    /**
     * Settles {@code hold} on {@code charge} and takes the next hold of the same amount for the same user and key (a
     * realtime session's next response), or throws as {@link #hold} does. Where the instances share holds, the new
     * hold stands for the old one under the request id that was recorded: the record stays until that request's own
     * usage row is written.
     */
    public Hold renew(Hold hold, long charge, User user, ApiKey key) {
        settleInBook(hold, charge);
        Hold next;
        try {
            next = hold(user, key, hold.amount());
        } catch (RuntimeException refused) {
            if (hold.storedAs() != null) {
                stored.settled(hold);
            }
            throw refused;
        }
        if (hold.storedAs() != null) {
            next.storedAs(hold.storedAs());
        }
        return next;
    }

    private boolean settleInBook(Hold hold, long charge) {
        if (!hold.close()) {
            return false;
        }
        users.get(hold.userId()).settle(hold.userReserved(), hold.amount(), charge);
        Wallet keyBudget = keys.get(hold.keyId());
        if (keyBudget != null) {
            keyBudget.settle(hold.keyReserved(), hold.amount(), charge);
        }
        return true;
    }

    private static GatewayException refusal(String what, String unit, Wallet wallet, long amount, String note) {
        long overrun = wallet.overrun();
        return GatewayException.insufficientBalance(what + Usd.format(Math.max(0, wallet.available() + overrun))
                + unit + ", this request needs up to " + Usd.format(amount) + " USD"
                + (overrun > 0 ? " plus " + Usd.format(overrun) + " USD kept back because an earlier request cost"
                        + " that much more than its hold" : "") + note);
    }

    /** Whether this book has read the user's balance (a later change to the stored row must reach it). */
    public boolean hasWallet(long userId) {
        return users.containsKey(userId);
    }

    public long balance(User user) {
        return userWallet(user).balance();
    }

    /** What the key may still spend: its limit minus spend (settled or pending); null when unlimited. */
    public Long keyRemaining(ApiKey key) {
        Wallet budget = keyWallet(key);
        return budget == null ? null : budget.balance();
    }

    /**
     * The writer committed {@code amount} of this user's pending charges (or a credit, amount 0) and
     * read back the stored balance. A user not seen yet starts from that stored value, which is
     * fresher than any cached account snapshot.
     */
    void userCommitted(long userId, long amount, long storedBalance, long requests) {
        users.compute(userId, (id, wallet) -> {
            if (wallet == null) {
                return new Wallet(storedBalance);
            }
            wallet.committed(amount, storedBalance);
            wallet.requestsWritten(requests);
            return wallet;
        });
    }

    /** A charged request was settled and its usage row queued: counted at once ({@link #pendingRequests}). */
    void requestSettled(long userId) {
        Wallet wallet = users.get(userId);
        if (wallet != null) {
            wallet.requestSettled();
        }
    }

    /**
     * The user's charged requests settled but not yet written: the stored {@code request_count} plus these is the
     * live count (exact but for the instant between a batch's commit and the book learning of it).
     */
    public long pendingRequests(User user) {
        Wallet wallet = users.get(user.id());
        return wallet == null ? 0 : wallet.pendingRequests();
    }

    /** A pending charge will not be written (the store rejected it): it no longer counts against the balance. */
    void released(long userId, long keyId, long amount, boolean request) {
        Wallet wallet = users.get(userId);
        if (wallet != null) {
            wallet.dropPending(amount);
            wallet.requestsWritten(request ? 1 : 0);
        }
        Wallet keyBudget = keys.get(keyId);
        if (keyBudget != null) {
            keyBudget.dropPending(amount);
        }
    }

    void keyCommitted(long keyId, long amount, long storedRemaining) {
        Wallet budget = keys.get(keyId);
        if (budget != null) {
            budget.committed(amount, storedRemaining);
        }
    }

    /**
     * The key's limit changed (admin API): {@code key} is the stored row. Holds in flight and charges
     * not yet written stay counted against the new limit.
     */
    public void keyChanged(ApiKey key) {
        if (key.spendLimitNanos() == null) {
            keys.remove(key.id());
            return;
        }
        long remaining = key.spendLimitNanos() - key.usedNanos();
        keys.compute(key.id(), (id, budget) -> {
            if (budget == null) {
                return new Wallet(remaining);
            }
            budget.refresh(remaining);
            return budget;
        });
    }

    private Wallet userWallet(User user) {
        return users.computeIfAbsent(user.id(), id -> new Wallet(user.balanceNanos()));
    }

    private Wallet keyWallet(ApiKey key) {
        if (key.spendLimitNanos() == null) {
            return null;
        }
        return keys.computeIfAbsent(key.id(), id -> new Wallet(key.spendLimitNanos() - key.usedNanos()));
    }
}

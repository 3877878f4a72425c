package dev.antler.billing;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.User;
import dev.antler.core.GatewayException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds and settlements against users' balances and keys' spend limits, in memory. The sum of holds
 * in flight never exceeds what is available, so concurrent requests cannot overspend; a request whose
 * real cost exceeds its hold is still charged in full (the balance may then dip below zero by at most
 * that difference).
 */
public final class BalanceBook {

    private final ConcurrentHashMap<Long, Wallet> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Wallet> keys = new ConcurrentHashMap<>();

    /** Reserves {@code amount} on both the user's balance and the key's limit, or throws 403. */
    public Hold hold(User user, ApiKey key, long amount) {
        Wallet wallet = userWallet(user);
        Wallet keyBudget = keyWallet(key);
        if (!wallet.tryHold(amount)) {
            throw insufficientBalance(wallet, amount);
        }
        if (keyBudget != null && !keyBudget.tryHold(amount)) {
            wallet.release(amount);
            throw keyLimitReached(keyBudget, amount);
        }
        return new Hold(user.id(), key.id(), amount);
    }

    /**
     * Throws the 403 {@link #hold} would throw for {@code minimum} (the least any request can need), holding
     * nothing: a request that cannot be paid for is refused before its body is read.
     */
    public void checkAvailable(User user, ApiKey key, long minimum) {
        Wallet wallet = userWallet(user);
        if (wallet.available() < minimum) {
            throw insufficientBalance(wallet, minimum);
        }
        Wallet keyBudget = keyWallet(key);
        if (keyBudget != null && keyBudget.available() < minimum) {
            throw keyLimitReached(keyBudget, minimum);
        }
    }

    private static GatewayException insufficientBalance(Wallet wallet, long amount) {
        return GatewayException.insufficientBalance("insufficient balance: "
                + Usd.format(Math.max(0, wallet.available())) + " USD available, this request needs up to "
                + Usd.format(amount) + " USD");
    }

    private static GatewayException keyLimitReached(Wallet keyBudget, long amount) {
        return GatewayException.insufficientBalance("key spend limit reached: "
                + Usd.format(Math.max(0, keyBudget.available())) + " USD left on this key, this request needs up to "
                + Usd.format(amount) + " USD");
    }

    /** Replaces the hold by the real charge; returns false if the hold was already settled. */
    public boolean settle(Hold hold, long charge) {
        if (!hold.close()) {
            return false;
        }
        users.get(hold.userId()).settle(hold.amount(), charge);
        Wallet keyBudget = keys.get(hold.keyId());
        if (keyBudget != null) {
            keyBudget.settle(hold.amount(), charge);
        }
        return true;
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
    void userCommitted(long userId, long amount, long storedBalance) {
        users.compute(userId, (id, wallet) -> {
            if (wallet == null) {
                return new Wallet(storedBalance);
            }
            wallet.committed(amount, storedBalance);
            return wallet;
        });
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

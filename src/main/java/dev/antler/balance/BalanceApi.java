package dev.antler.balance;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Principal;
import dev.antler.accounts.User;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.Usd;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import dev.antler.json.Json;
import dev.antler.relay.Relay;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.BiConsumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The balance endpoints clients already call (DeerAPI / new-api shapes). A key with its own spend
 * limit reports that limit; any other key reports its user's balance.
 *
 * <p>Money figures come from the {@link BalanceBook}, which counts every settled charge at once, not from the
 * stored rows, which the ledger writer updates up to a flush interval later: a script that reads its balance right
 * after a request sees that request. The stored row's balance less the book's is what is settled but not yet
 * written, so it is added to the stored spend (the book's balance does not change when the writer commits).
 */
public final class BalanceApi {

    /** new-api's internal unit: 500,000 quota = 1 USD, so one quota unit is 2,000 nano-dollars. */
    static final long NANOS_PER_QUOTA = Usd.NANOS_PER_USD / 500_000;

    private BalanceApi() {}

    public static void register(Routes routes, Relay relay, AccountStore accounts) {
        BalanceBook book = relay.services().balances();
        for (String prefix : List.of("/v1", "")) {
            routes.add(HttpMethod.GET, prefix + "/dashboard/billing/subscription", OpenAiErrorFormat.INSTANCE,
                    authenticated(relay, accounts, (exchange, principal) -> subscription(exchange, principal, book)));
            routes.add(HttpMethod.GET, prefix + "/dashboard/billing/usage", OpenAiErrorFormat.INSTANCE,
                    authenticated(relay, accounts, (exchange, principal) -> usage(exchange, principal, book)));
        }
        routes.add(HttpMethod.GET, "/api/usage/token", OpenAiErrorFormat.INSTANCE,
                authenticated(relay, accounts, (exchange, principal) -> tokenUsage(exchange, principal, book)));
        routes.add(HttpMethod.GET, "/user/quota", OpenAiErrorFormat.INSTANCE, exchange -> quota(exchange, relay, accounts));
    }

    /**
     * Authenticates, then reads the user's row afresh: the cached principal's user holds the balance
     * and spend as of its last cache refresh, not what has been charged since.
     */
    private static java.util.function.Consumer<Exchange> authenticated(Relay relay, AccountStore accounts,
                                                                       BiConsumer<Exchange, Principal> handler) {
        return exchange -> relay.authenticate(ClientKey.of(exchange.request()))
                .compose(principal -> relay.services().vertx().executeBlocking(() -> freshen(relay, principal.user().id(), accounts)
                        .findUser(principal.user().id())
                        .map(user -> new Principal(principal.key(), user, principal.group()))
                        .orElse(principal)))
                .onSuccess(principal -> handler.accept(exchange, principal))
                .onFailure(exchange::fail);
    }

    /**
     * While other instances share the store, this instance's book may not have seen their charges yet: its
     * balance is read back through the ledger writer first (in order with this instance's own charges).
     * Blocking; returns {@code accounts} for chaining.
     */
    private static AccountStore freshen(Relay relay, long userId, AccountStore accounts) {
        if (relay.services().balances().storedHolds().active()) {
            relay.services().ledger().credit(userId, 0, "refresh", null, null).join();
        }
        return accounts;
    }

    /** What the key can spend and has spent, in nanos: the key's own limit, else the user's balance. */
    private static long[] limitAndUsed(Principal principal, BalanceBook book) {
        Long keyRemaining = book.keyRemaining(principal.key());
        if (keyRemaining != null) {
            long used = principal.key().spendLimitNanos() - keyRemaining;
            return new long[] {keyRemaining + used, used};
        }
        // the row just read and the book: balance + used is what the user was granted
        long balance = book.balance(principal.user());
        long used = liveUsed(principal.user(), balance);
        return new long[] {balance + used, used};
    }

    /** The user's spend including charges settled but not yet written: {@code balance} is the book's. */
    private static long liveUsed(User stored, long balance) {
        return stored.usedNanos() + stored.balanceNanos() - balance;
    }

    /** The key's spend including charges not yet written, where the book follows it (keys with a limit). */
    private static long liveUsed(ApiKey stored, BalanceBook book) {
        Long remaining = book.keyRemaining(stored);
        return remaining == null ? stored.usedNanos() : stored.spendLimitNanos() - remaining;
    }

    private static void subscription(Exchange exchange, Principal principal, BalanceBook book) {
        long[] limitUsed = limitAndUsed(principal, book);
        BigDecimal limit = Usd.toDecimal(limitUsed[0]);
        ObjectNode body = Json.object();
        body.put("object", "billing_subscription");
        body.put("has_payment_method", true);
        body.put("soft_limit_usd", limit);
        body.put("hard_limit_usd", limit);
        body.put("system_hard_limit_usd", limit);
        Long expires = principal.key().expiresAt();
        body.put("access_until", expires == null ? 0 : expires / 1000);
        exchange.json(200, Buffer.buffer(Json.bytes(body)));
    }

    private static void usage(Exchange exchange, Principal principal, BalanceBook book) {
        long used = limitAndUsed(principal, book)[1];
        ObjectNode body = Json.object();
        body.put("object", "list");
        body.put("total_usage", Usd.toDecimal(used).movePointRight(2));
        exchange.json(200, Buffer.buffer(Json.bytes(body)));
    }

    private static void tokenUsage(Exchange exchange, Principal principal, BalanceBook book) {
        ApiKey key = principal.key();
        long[] limitUsed = limitAndUsed(principal, book);
        ObjectNode data = Json.object();
        data.put("object", "token_usage");
        data.put("name", key.name());
        data.put("total_granted", limitUsed[0] / NANOS_PER_QUOTA);
        data.put("total_used", limitUsed[1] / NANOS_PER_QUOTA);
        data.put("total_available", (limitUsed[0] - limitUsed[1]) / NANOS_PER_QUOTA);
        data.put("unlimited_quota", key.spendLimitNanos() == null);
        ObjectNode limits = data.putObject("model_limits");
        key.allowedModels().forEach(m -> limits.put(m, true));
        data.put("model_limits_enabled", !key.allowedModels().isEmpty());
        data.put("expires_at", key.expiresAt() == null ? 0 : key.expiresAt() / 1000);
        ObjectNode body = Json.object();
        body.put("code", true);
        body.put("message", "ok");
        body.set("data", data);
        exchange.json(200, Buffer.buffer(Json.bytes(body)));
    }

    /** {@code GET /user/quota?key=...}: the account's balance and each of its keys, in USD. */
    private static void quota(Exchange exchange, Relay relay, AccountStore accounts) {
        String presented = exchange.request().getParam("key");
        BalanceBook book = relay.services().balances();
        relay.authenticate(presented)
                .compose(principal -> relay.services().vertx().executeBlocking(() -> {
                    ObjectNode body = Json.object();
                    freshen(relay, principal.user().id(), accounts);
                    User user = accounts.findUser(principal.user().id()).orElseThrow();
                    long balance = book.balance(user);
                    body.put("username", user.name());
                    body.put("total_quota", Usd.toDecimal(balance));
                    body.put("total_used_quota", Usd.toDecimal(liveUsed(user, balance)));
                    body.put("request_count", user.requestCount() + book.pendingRequests(user));
                    ArrayNode keys = body.putArray("keys");
                    for (ApiKey key : accounts.listKeys(user.id())) {
                        ObjectNode k = keys.addObject();
                        k.put("name", key.name());
                        if (key.spendLimitNanos() == null) {
                            k.put("remain_quota", -1);
                        } else {
                            Long remaining = book.keyRemaining(key);
                            k.put("remain_quota", Usd.toDecimal(remaining));
                        }
                        k.put("used_quota", Usd.toDecimal(liveUsed(key, book)));
                    }
                    return Buffer.buffer(Json.bytes(body));
                }))
                .onSuccess(body -> exchange.json(200, body))
                .onFailure(exchange::fail);
    }
}

package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.admin.AdminEdits.Kind;
import io.vertx.core.Future;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * API keys. A new key is returned in plain text once, in the answer that creates it; the store keeps
 * only its hash and a hint, and no other answer carries either the key or the hash.
 */
public final class KeyHandlers {

    private static final Set<String> FIELDS = Set.of("name", "status", "models", "spend_limit", "expires_at");

    private final AdminContext context;
    private final AccountStore accounts;
    /** Serializes key writes (admin's and users' own), so the balance book ends with the last stored limit. */
    private static final Object WRITES = new Object();

    KeyHandlers(AdminContext context) {
        this.context = context;
        this.accounts = context.accounts();
    }

    void register(AdminRoutes routes) {
        routes.add(POST, "users/{id}/keys", this::create)
                .add(GET, "users/{id}/keys", this::listForUser)
                .add(GET, "keys/{id}", this::get)
                .add(PATCH, "keys/{id}", this::update);
    }

    private Future<Reply> create(AdminCall call) {
        long userId = call.id("id");
        Fields f = call.fields(Set.of("name", "models", "spend_limit", "expires_at"));
        String name = f.optionalText("name", 128);
        Set<String> models = f.models("models");
        Long spendLimit = f.optionalUsd("spend_limit", false);
        Long expiresAt = f.optionalTime("expires_at");
        return call.blocking(() -> {
            if (accounts.findUser(userId).isEmpty()) {
                throw Problems.notFound("user", userId, "an existing user id");
            }
            return Reply.created(create(context, userId, name, models, spendLimit, expiresAt));
        });
    }

    private Future<Reply> listForUser(AdminCall call) {
        long userId = call.id("id");
        return call.blocking(() -> {
            if (accounts.findUser(userId).isEmpty()) {
                throw Problems.notFound("user", userId, "an existing user id");
            }
            ArrayNode data = AdminJson.array();
            accounts.listKeys(userId).forEach(k -> data.add(view(k)));
            return Reply.ok(AdminJson.list(data));
        });
    }

    private Future<Reply> get(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> Reply.ok(view(find(id))));
    }

    private Future<Reply> update(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(FIELDS);
        if (f.isEmpty()) {
            throw Problems.invalid("body", "{}", "at least one of " + String.join(", ", new TreeSet<>(FIELDS)));
        }
        String name = f.optionalText("name", 128);
        Status status = UserHandlers.status(f);
        Set<String> models = f.models("models");
        Long spendLimit = f.optionalUsd("spend_limit", false);
        Long expiresAt = f.optionalTime("expires_at");
        return call.blocking(() -> {
            synchronized (WRITES) {
                ApiKey key = find(id);
                accounts.updateKey(id,
                        name == null ? key.name() : name,
                        status == null ? key.status() : status,
                        f.has("expires_at") ? expiresAt : key.expiresAt(),
                        f.has("spend_limit") ? spendLimit : key.spendLimitNanos(),
                        f.has("models") ? models : key.allowedModels());
                context.edits().record(Kind.KEY, id);
                ApiKey stored = find(id);
                changed(stored);
                return Reply.ok(view(stored));
            }
        });
    }

    /**
     * Creates a key for an existing user: the answer's body, the only one that holds the plain key. Blocking.
     */
    public static ObjectNode create(AdminContext context, long userId, String name, Set<String> models,
                                    Long spendLimit, Long expiresAt) {
        String plain = ApiKeys.generate();
        ApiKey key;
        synchronized (WRITES) {
            key = context.accounts().createKey(userId, name == null ? "default" : name, ApiKeys.hash(plain),
                    ApiKeys.hint(plain), expiresAt, spendLimit, models);
            changed(context, key);
        }
        ObjectNode body = view(key);
        body.put("key", plain);
        return body;
    }

    /** Disables a key (a user revoking their own); answers its view. Blocking. */
    public static ObjectNode disable(AdminContext context, ApiKey key) {
        synchronized (WRITES) {
            context.accounts().updateKey(key.id(), key.name(), Status.DISABLED, key.expiresAt(), key.spendLimitNanos(),
                    key.allowedModels());
            context.edits().record(Kind.KEY, key.id());
            ApiKey stored = context.accounts().findKey(key.id()).orElseThrow();
            changed(context, stored);
            return view(stored);
        }
    }

    private void changed(ApiKey stored) {
        changed(context, stored);
    }

    private static void changed(AdminContext context, ApiKey stored) {
        context.authenticator().invalidateAll();
        context.balances().keyChanged(stored);
    }

    private ApiKey find(long id) {
        return accounts.findKey(id).orElseThrow(() -> Problems.notFound("key", id, "an existing key id"));
    }

    public static ObjectNode view(ApiKey key) {
        ObjectNode node = AdminJson.object();
        node.put("id", key.id());
        node.put("user_id", key.userId());
        node.put("name", key.name());
        node.put("hint", key.hint());
        node.put("status", key.status().dbValue());
        ArrayNode models = node.putArray("models");
        key.allowedModels().forEach(models::add);
        AdminJson.putUsd(node, "spend_limit", key.spendLimitNanos());
        AdminJson.putUsd(node, "used", key.usedNanos());
        node.put("request_count", key.requestCount());
        AdminJson.putTime(node, "expires_at", key.expiresAt());
        node.put("created_at", AdminJson.iso(key.createdAt()));
        AdminJson.putTime(node, "last_used_at", key.lastUsedAt());
        return node;
    }
}

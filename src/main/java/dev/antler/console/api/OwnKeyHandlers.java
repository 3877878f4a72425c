package dev.antler.console.api;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Status;
import dev.antler.admin.AdminCall;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminJson;
import dev.antler.admin.AdminRoutes;
import dev.antler.admin.Fields;
import dev.antler.admin.KeyHandlers;
import dev.antler.admin.Problems;
import dev.antler.admin.Reply;
import dev.antler.core.GatewayException;
import io.vertx.core.Future;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;

/**
 * A user's own API keys: list, create (shown once; at most console.max_keys_per_user usable keys) and revoke. A key
 * of another user answers 404, exactly as a key that does not exist.
 */
final class OwnKeyHandlers {

    /** Counting a user's keys and creating one happen together, so two creates cannot both pass the limit. */
    private static final Object CREATES = new Object();

    private final AdminContext context;

    OwnKeyHandlers(AdminContext context) {
        this.context = context;
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "keys", this::list)
                .add(POST, "keys", this::create)
                .add(DELETE, "keys/{id}", this::revoke);
    }

    private Future<Reply> list(AdminCall call) {
        long self = UserApi.self(call.caller());
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            context.accounts().listKeys(self).forEach(k -> data.add(KeyHandlers.view(k)));
            return Reply.ok(AdminJson.list(data));
        });
    }

    private Future<Reply> create(AdminCall call) {
        long self = UserApi.self(call.caller());
        Fields f = call.fields(Set.of("name", "models", "expires_at"));
        String name = f.optionalText("name", 128);
        Set<String> models = f.models("models");
        Long expiresAt = f.optionalTime("expires_at");
        long now = context.clock().millis();
        if (expiresAt != null && expiresAt <= now) {
            throw Problems.invalid("expires_at", f.shown("expires_at"), "a time in the future");
        }
        int max = context.console().config().maxKeysPerUser();
        return call.blocking(() -> {
            synchronized (CREATES) {
                long usable = context.accounts().listKeys(self).stream()
                        .filter(k -> k.status() == Status.ACTIVE && !k.expiredAt(now)).count();
                if (usable >= max) {
                    throw GatewayException.forbidden("key_limit", "keys: " + usable + " usable (expected: at most "
                            + max + "; revoke one first, or ask the operator to raise console.max_keys_per_user)");
                }
                return Reply.created(KeyHandlers.create(context, self, name, models, null, expiresAt));
            }
        });
    }

    private Future<Reply> revoke(AdminCall call) {
        long self = UserApi.self(call.caller());
        long id = call.id("id");
        return call.blocking(() -> {
            ApiKey key = context.accounts().findKey(id).filter(k -> k.userId() == self)
                    .orElseThrow(() -> Problems.notFound("key", id, "the id of one of your keys"));
            return Reply.ok(KeyHandlers.disable(context, key));
        });
    }
}

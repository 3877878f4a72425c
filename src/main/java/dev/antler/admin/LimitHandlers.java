package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PUT;

import dev.antler.admin.AdminEdits.Kind;
import dev.antler.billing.Usd;
import dev.antler.limits.KeyLimits;
import dev.antler.limits.Limits;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A key's rate limits and a user's daily spend cap. {@code PUT} replaces them whole: a field absent or
 * null removes that limit. Applied on this instance at once, on others within 30 s.
 */
final class LimitHandlers {

    private static final Set<String> KEY_FIELDS = Set.of("rpm_limit", "tpm_limit", "max_concurrent");
    private static final Set<String> USER_FIELDS = Set.of("daily_spend_limit");

    private final AdminContext context;
    private final Limits limits;

    LimitHandlers(AdminContext context) {
        this.context = context;
        this.limits = context.limits();
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "keys/{id}/limits", this::getKey)
                .add(PUT, "keys/{id}/limits", this::putKey)
                .add(GET, "users/{id}/limits", this::getUser)
                .add(PUT, "users/{id}/limits", this::putUser);
    }

    private Future<Reply> getKey(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> {
            requireKey(id);
            return Reply.ok(keyView(id));
        });
    }

    private Future<Reply> putKey(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(KEY_FIELDS);
        Integer rpm = f.optionalInt("rpm_limit", 1, Integer.MAX_VALUE);
        Integer tpm = f.optionalInt("tpm_limit", 1, Integer.MAX_VALUE);
        Integer concurrent = f.optionalInt("max_concurrent", 1, 1_000_000);
        KeyLimits changed = new KeyLimits(rpm, tpm == null ? null : tpm.longValue(), concurrent);
        return call.blocking(() -> {
            requireKey(id);
            limits.store().putKeyLimits(id, changed);
            context.edits().record(Kind.KEY, id);
            limits.limiter().setKeyLimits(id, changed);
            return Reply.ok(keyView(id));
        });
    }

    private Future<Reply> getUser(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> {
            requireUser(id);
            return Reply.ok(userView(id));
        });
    }

    private Future<Reply> putUser(AdminCall call) {
        long id = call.id("id");
        Long cap = call.fields(USER_FIELDS).optionalUsd("daily_spend_limit", false);
        return call.blocking(() -> {
            requireUser(id);
            limits.store().putDailyCap(id, cap);
            context.edits().record(Kind.USER, id);
            limits.limiter().seedSpend(limits.store(), List.of(id)); // the cap counts today's earlier spend
            limits.limiter().setDailyCap(id, cap);
            return Reply.ok(userView(id));
        });
    }

    private void requireKey(long id) {
        if (context.accounts().findKey(id).isEmpty()) {
            throw Problems.notFound("key", id, "the id of an existing key");
        }
    }

    private void requireUser(long id) {
        if (context.accounts().findUser(id).isEmpty()) {
            throw Problems.notFound("user", id, "the id of an existing user");
        }
    }

    private ObjectNode keyView(long id) {
        KeyLimits current = limits.limiter().keyLimits(id);
        ObjectNode node = AdminJson.object();
        node.put("key_id", id);
        node.put("rpm_limit", current.rpm());
        node.put("tpm_limit", current.tpm());
        node.put("max_concurrent", current.maxConcurrent());
        node.put("in_flight", limits.limiter().inFlight(id));
        return node;
    }

    /** The user's cap and today's spend (read from the usage log first: it may predate this instance). Blocks. */
    private ObjectNode userView(long id) {
        limits.limiter().seedSpend(limits.store(), List.of(id));
        Long cap = limits.limiter().dailyCap(id);
        ObjectNode node = AdminJson.object();
        node.put("user_id", id);
        node.put("daily_spend_limit", cap == null ? null : Usd.toDecimal(cap));
        node.put("spent_today", Usd.toDecimal(limits.limiter().spentToday(id)));
        return node;
    }
}

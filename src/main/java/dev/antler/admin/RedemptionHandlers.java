package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.console.RedemptionStore;
import dev.antler.console.RedemptionStore.Code;
import io.vertx.core.Future;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redemption codes: create a batch (the codes are in that answer only), list (a hint of each code), disable. A user
 * redeems a code once with {@code POST /api/user/redeem}.
 */
final class RedemptionHandlers {

    static final int MAX_BATCH = 1000;
    private static final Pattern STATUS = Pattern.compile("active|redeemed|disabled");

    private final RedemptionStore store;

    RedemptionHandlers(AdminContext context) {
        this.store = context.console().redemptions();
    }

    void register(AdminRoutes routes) {
        routes.add(POST, "redemptions", this::create)
                .add(GET, "redemptions", this::list)
                .add(PATCH, "redemptions/{id}", this::update);
    }

    private Future<Reply> create(AdminCall call) {
        Fields f = call.fields(Set.of("count", "amount_usd", "expires_at", "name"));
        Integer count = f.optionalInt("count", 1, MAX_BATCH);
        Long amount = f.optionalUsd("amount_usd", false);
        if (amount == null || amount == 0) {
            throw Problems.invalid("amount_usd", f.shown("amount_usd"), "a positive amount of USD");
        }
        Long expiresAt = f.optionalTime("expires_at");
        String name = f.optionalText("name", 128);
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            for (RedemptionStore.Created created : store.create(count == null ? 1 : count, amount, expiresAt, name)) {
                data.add(view(created.code()).put("code", created.plain()));
            }
            return Reply.created(AdminJson.list(data));
        });
    }

    private Future<Reply> list(AdminCall call) {
        String status = call.query("status");
        if (status != null && !STATUS.matcher(status).matches()) {
            throw Problems.invalid("status", status, "active, redeemed or disabled");
        }
        int limit = call.limit();
        int offset = call.offset();
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            store.list(status, limit, offset).forEach(c -> data.add(view(c)));
            return Reply.ok(AdminJson.page(data, limit, offset));
        });
    }

    private Future<Reply> update(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(Set.of("status"));
        String status = f.optionalName("status", Pattern.compile("disabled"), "disabled");
        if (status == null) {
            throw Problems.invalid("status", f.shown("status"), "disabled");
        }
        return call.blocking(() -> {
            Code code = store.find(id).orElseThrow(() -> Problems.notFound("redemption", id, "an existing code id"));
            if (!store.disable(id) && !code.status().equals("disabled")) {
                throw Problems.conflict("status", code.status(), "an active code (a redeemed code stays redeemed)");
            }
            return Reply.ok(view(store.find(id).orElseThrow()));
        });
    }

    private static ObjectNode view(Code c) {
        ObjectNode node = AdminJson.object();
        node.put("id", c.id());
        node.put("code_hint", c.hint());
        node.put("name", c.name());
        AdminJson.putUsd(node, "amount_usd", c.amountNanos());
        node.put("amount_nano", c.amountNanos());
        node.put("status", c.status());
        AdminJson.putTime(node, "expires_at", c.expiresAt());
        if (c.redeemedBy() == null) {
            node.putNull("redeemed_by");
        } else {
            node.put("redeemed_by", c.redeemedBy());
        }
        AdminJson.putTime(node, "redeemed_at", c.redeemedAt());
        node.put("created_at", AdminJson.iso(c.createdAt()));
        return node;
    }
}

package dev.antler.console.api;

import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.admin.AdminCall;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminEdits;
import dev.antler.admin.AdminJson;
import dev.antler.admin.AdminRoutes;
import dev.antler.admin.Fields;
import dev.antler.admin.Problems;
import dev.antler.admin.Reply;
import dev.antler.billing.GuardedChange;
import dev.antler.console.RedemptionStore;
import dev.antler.console.RedemptionStore.Code;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST redeem}: credits a redemption code's amount to the caller, once per code. The credit and the code's
 * change to redeemed commit in one ledger-writer transaction guarded by the code's status, so concurrent redeems of
 * one code (by one user or several) credit it once; the ledger row's reference is {@code redeem:<code id>}.
 */
final class RedeemHandler {

    private final AdminContext context;

    RedeemHandler(AdminContext context) {
        this.context = context;
    }

    void register(AdminRoutes routes) {
        routes.add(POST, "redeem", this::redeem);
    }

    private Future<Reply> redeem(AdminCall call) {
        long self = UserApi.self(call.caller());
        Fields f = call.fields(Set.of("code"));
        String code = f.text("code", 64).trim().toUpperCase(Locale.ROOT);
        RedemptionStore store = context.console().redemptions();
        return call.blocking(() -> redeemable(store.findByCode(code).orElseThrow(() -> notRedeemable("not found"))))
                .compose(found -> Future.fromCompletionStage(context.ledger().guarded(new GuardedChange(null, self, 0,
                                found.amountNanos(), 0, "redeem", "redeem:" + found.id(), found.name(), false,
                                h -> store.claim(h, found.id(), self, context.clock().millis()), null)),
                                context.vertx().getOrCreateContext())
                        .map(applied -> {
                            if (!applied) {
                                throw notRedeemable("redeemed or disabled a moment ago");
                            }
                            return found;
                        }))
                .compose(found -> call.blocking(() -> {
                    context.edits().changed(AdminEdits.Kind.USER, self); // other instances re-read the balance
                    ObjectNode body = AdminJson.object();
                    body.put("credited_nano", found.amountNanos());
                    body.put("balance_nano", context.accounts().findUser(self).orElseThrow().balanceNanos());
                    return Reply.ok(body);
                }));
    }

    private Code redeemable(Code found) {
        if (found.status().equals("redeemed")) {
            throw notRedeemable("already redeemed");
        }
        if (found.status().equals("disabled")) {
            throw notRedeemable("disabled by the operator");
        }
        if (found.expiresAt() != null && found.expiresAt() <= context.clock().millis()) {
            throw notRedeemable("expired at " + AdminJson.iso(found.expiresAt()));
        }
        return found;
    }

    private static RuntimeException notRedeemable(String why) {
        return Problems.conflict("code", why, "an active, unexpired code that was not redeemed yet");
    }
}

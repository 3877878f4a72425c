package dev.antler.console.api;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.accounts.User;
import dev.antler.admin.AdminCall;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminJson;
import dev.antler.admin.AdminRoutes;
import dev.antler.admin.Fields;
import dev.antler.admin.Problems;
import dev.antler.admin.Reply;
import dev.antler.billing.Usd;
import dev.antler.console.CredentialStore;
import dev.antler.console.Passwords;
import io.vertx.core.Future;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** {@code me} (balance and totals) and {@code password} (a user changing their own). */
final class SelfHandlers {

    private final AdminContext context;

    SelfHandlers(AdminContext context) {
        this.context = context;
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "me", this::me)
                .add(POST, "password", this::password);
    }

    private Future<Reply> me(AdminCall call) {
        long self = UserApi.self(call.caller());
        return call.blocking(() -> {
            User user = context.accounts().findUser(self)
                    .orElseThrow(() -> Problems.notFound("user", self, "the signed-in user"));
            ObjectNode node = AdminJson.object();
            node.put("id", user.id());
            node.put("name", user.name());
            node.put("group", user.group());
            node.put("balance_usd", Usd.toDecimal(user.balanceNanos()).toPlainString());
            node.put("balance_nano", user.balanceNanos());
            node.put("used_nano", user.usedNanos());
            node.put("request_count", user.requestCount());
            node.put("is_admin", context.console().credentials().isAdmin(self));
            return Reply.ok(node);
        });
    }

    /** Checks the current password, sets the new one and ends the user's other sessions. */
    private Future<Reply> password(AdminCall call) {
        long self = UserApi.self(call.caller());
        Fields f = call.fields(Set.of("current", "new"));
        String current = f.secret("current", 1, Passwords.MAX_LENGTH);
        String next = f.secret("new", Passwords.MIN_LENGTH, Passwords.MAX_LENGTH);
        String session = call.caller().sessionId();
        return call.blocking(() -> {
            CredentialStore credentials = context.console().credentials();
            String stored = credentials.find(self).map(CredentialStore.Credential::passwordHash).orElse(null);
            if (!Passwords.verify(current, stored)) {
                throw SignIn.invalidCredentials();
            }
            credentials.setPassword(self, Passwords.hash(next));
            int ended = context.console().sessions().endOthers(self, session);
            ObjectNode node = AdminJson.object();
            node.put("changed", true);
            node.put("other_sessions_ended", ended);
            return Reply.ok(node);
        });
    }
}

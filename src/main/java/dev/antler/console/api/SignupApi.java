package dev.antler.console.api;

import dev.antler.accounts.Group;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminDispatcher;
import dev.antler.admin.AdminJson;
import dev.antler.admin.ApiErrorFormat;
import dev.antler.admin.Fields;
import dev.antler.admin.Problems;
import dev.antler.console.InviteStore;
import dev.antler.console.Passwords;
import dev.antler.console.SignInLimiter;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.http.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/signup}: creates an account with a password, in the invite's group, when the request carries an
 * active invite token, or in the default group when console.open_signup is on. New accounts start with no balance.
 * Each sign-up counts against the address's sign-in allowance, so one address cannot create accounts in bulk.
 */
final class SignupApi {

    static final String PATH = "/api/signup";
    /** Names become usernames: letters, digits and {@code . _ -}, so a name reads the same everywhere. */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");

    private final AdminContext context;
    private final SignInLimiter limiter;

    SignupApi(AdminContext context, SignInLimiter limiter) {
        this.context = context;
        this.limiter = limiter;
    }

    void register(Routes routes) {
        routes.add(HttpMethod.POST, PATH, ApiErrorFormat.CONSOLE, this::signup);
    }

    private void signup(Exchange exchange) {
        String address = context.console().peer().address(exchange.request());
        AdminDispatcher.readBody(exchange.request())
                .map(body -> Fields.of(AdminDispatcher.parse(body), Set.of("username", "password", "invite")))
                .compose(f -> {
                    String username = f.optionalName("username", USERNAME,
                            "3 to 64 letters, digits, dots, underscores or hyphens");
                    if (username == null) {
                        throw Problems.invalid("username", f.shown("username"), "a username");
                    }
                    String password = f.secret("password", Passwords.MIN_LENGTH, Passwords.MAX_LENGTH);
                    String invite = f.optionalText("invite", 128);
                    if (invite == null && !context.console().config().openSignup()) {
                        throw GatewayException.forbidden("signup_closed",
                                "invite: missing (expected: the invite token of a link from the operator; open sign-up is off)");
                    }
                    // every sign-up spends from the address's allowance, as a failed sign-in would
                    limiter.check("signup:" + address, address);
                    limiter.failed("signup:" + address, address);
                    return context.vertx().executeBlocking(() -> create(username, password, invite), false);
                })
                .onSuccess(body -> exchange.json(201, Buffer.buffer(AdminJson.bytes(body))))
                .onFailure(exchange::fail);
    }

    private ObjectNode create(String username, String password, String token) {
        InviteStore invites = context.console().invites();
        Optional<InviteStore.Invite> invite = Optional.empty();
        if (token != null) {
            invite = invites.claim(token);
            if (invite.isEmpty()) {
                throw GatewayException.forbidden("invite_invalid",
                        "invite: not usable (expected: an active invite that was not used, revoked or expired)");
            }
        }
        String group = invite.map(InviteStore.Invite::group).orElse(Group.DEFAULT);
        User user;
        try {
            if (context.accounts().findUserByName(username).isPresent()) {
                throw Problems.conflict("username", username, "a name no other user has");
            }
            user = context.accounts().createUser(username, group, Status.ACTIVE);
        } catch (RuntimeException e) {
            invite.ifPresent(i -> invites.release(i.id()));
            if (e instanceof GatewayException) {
                throw e;
            }
            throw Problems.conflict("username", username, "a name no other user has");
        }
        context.console().credentials().setPassword(user.id(), Passwords.hash(password));
        invite.ifPresent(i -> invites.usedBy(i.id(), user.id()));
        ObjectNode body = AdminJson.object();
        body.put("id", user.id());
        body.put("name", user.name());
        body.put("group", user.group());
        return body;
    }
}

package dev.antler.console.api;

import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminJson;
import dev.antler.admin.Fields;
import dev.antler.admin.Problems;
import dev.antler.console.CredentialStore;
import dev.antler.console.Passwords;
import dev.antler.console.Role;
import dev.antler.console.SignInLimiter;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks sign-in credentials: the admin key, or a user's name and password. Wrong credentials answer the same
 * message whether or not the user exists, and take about as long. Limited per account and per address.
 */
final class SignIn {

    static final Set<String> FIELDS = Set.of("admin_key", "username", "password");
    /** The limiter's account for admin-key sign-ins; users' accounts are {@code user:<name>}. */
    private static final String ADMIN_ACCOUNT = "admin-key";
    private static final String EITHER = "either {\"admin_key\"} or {\"username\",\"password\"}";

    private final AdminContext context;
    private final SignInLimiter limiter;

    SignIn(AdminContext context, SignInLimiter limiter) {
        this.context = context;
        this.limiter = limiter;
    }

    /** Who signed in: a role and, for a user, their id. */
    record Who(Role role, Long userId) {}

    Future<Who> check(Fields f, String address) {
        if (f.has("admin_key")) {
            if (f.has("username") || f.has("password")) {
                throw Problems.invalid("body", "admin_key with username or password", EITHER);
            }
            String adminKey = f.secret("admin_key", 1, 512);
            return attempt(ADMIN_ACCOUNT, address, () -> context.adminKey().matches(adminKey)
                    ? new Who(Role.ADMIN, null) : null);
        }
        if (!f.has("username") || !f.has("password")) {
            throw Problems.invalid("body", f.has("username") ? "no password" : "no username", EITHER);
        }
        String username = f.text("username", 128);
        String password = f.secret("password", 1, Passwords.MAX_LENGTH);
        return attempt("user:" + username, address, () -> {
            Optional<User> user = context.accounts().findUserByName(username).filter(u -> u.status() == Status.ACTIVE);
            Optional<CredentialStore.Credential> credential = user.flatMap(u -> context.console().credentials().find(u.id()));
            // A missing user or password is verified against a dummy hash: the answer takes as long either way.
            if (!Passwords.verify(password, credential.map(CredentialStore.Credential::passwordHash).orElse(null))) {
                return null;
            }
            return new Who(credential.get().admin() ? Role.ADMIN : Role.USER, user.get().id());
        });
    }

    private Future<Who> attempt(String account, String address, java.util.concurrent.Callable<Who> verify) {
        limiter.check(account, address);
        return context.vertx().executeBlocking(verify, false).map(who -> {
            if (who == null) {
                limiter.failed(account, address);
                throw invalidCredentials();
            }
            limiter.succeeded(account);
            return who;
        });
    }

    /** The signed-in user as a page shows them: {@code {"id","name","group","is_admin"}}. Blocking. */
    ObjectNode userView(long userId) {
        ObjectNode view = AdminJson.object();
        context.accounts().findUser(userId).ifPresent(u -> view.put("id", u.id()).put("name", u.name())
                .put("group", u.group()));
        view.put("is_admin", context.console().credentials().isAdmin(userId));
        return view;
    }

    static GatewayException invalidCredentials() {
        return new GatewayException(401, ErrorKind.AUTHENTICATION, "invalid_credentials",
                "credentials: not accepted (expected: the admin key, or a user's name and password)");
    }
}

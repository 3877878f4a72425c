package dev.antler.console.api;

import dev.antler.admin.AdminContext;
import dev.antler.admin.Fields;
import dev.antler.console.Role;
import dev.antler.console.SignInLimiter;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import io.vertx.core.Future;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks sign-in credentials: the admin key, or a user's name and password. Wrong credentials answer the same
 * message whether or not the user exists, and take about as long. Limited per account and per address.
 */
final class SignIn {

    static final Set<String> FIELDS = Set.of("admin_key", "username", "password");
    /** The limiter's account name for admin-key sign-ins (user names cannot contain a colon-free reserved form). */
    private static final String ADMIN_ACCOUNT = "admin key";

    private final AdminContext context;
    private final SignInLimiter limiter;

    SignIn(AdminContext context, SignInLimiter limiter) {
        this.context = context;
        this.limiter = limiter;
    }

    /** Who signed in: a role and, for a user, their id. */
    record Who(Role role, Long userId) {}

    Future<Who> check(Fields f, String address) {
        String adminKey = f.optionalText("admin_key", 512);
        if (adminKey != null) {
            if (f.has("username") || f.has("password")) {
                throw dev.antler.admin.Problems.invalid("body", "admin_key with username or password",
                        "either {\"admin_key\"} or {\"username\",\"password\"}");
            }
            return attempt(ADMIN_ACCOUNT, address, () -> context.adminKey().matches(adminKey)
                    ? new Who(Role.ADMIN, null) : null);
        }
        throw dev.antler.admin.Problems.invalid("body", "no admin_key", "{\"admin_key\"}");
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

    ObjectNode userView(long userId) {
        throw new IllegalStateException("no user sessions yet");
    }

    static GatewayException invalidCredentials() {
        return new GatewayException(401, ErrorKind.AUTHENTICATION, "invalid_credentials",
                "credentials: not accepted (expected: the admin key, or a user's name and password)");
    }
}

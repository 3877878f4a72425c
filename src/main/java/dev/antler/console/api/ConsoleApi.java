package dev.antler.console.api;

import static java.util.Objects.requireNonNull;

import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminRoutes;
import dev.antler.config.ConsoleConfig;
import dev.antler.console.SignInLimiter;
import dev.antler.http.Routes;
import java.util.List;

/**
 * The console's HTTP side: sessions ({@code /api/session}), the self-service API ({@code /api/user/}) and
 * sign-up ({@code /api/signup}). See {@code docs/user-api.md}.
 */
public final class ConsoleApi {

    private ConsoleApi() {}

    /** Registers the routes; returns the self-service API's endpoints (relative to /api/user/) for the API description. */
    public static List<AdminRoutes.Endpoint> register(Routes routes, AdminContext context) {
        requireNonNull(routes, "routes");
        requireNonNull(context, "context");
        ConsoleConfig config = context.console().config();
        SignInLimiter limiter = new SignInLimiter(context.clock(), config.signInFailures(),
                config.signInWindowSeconds() * 1000);
        SignIn signIn = new SignIn(context, limiter);
        new SessionApi(context, signIn).register(routes);
        new SignupApi(context, limiter).register(routes);
        return UserApi.register(routes, context);
    }
}

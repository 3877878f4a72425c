package dev.antler.console.api;

import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminDispatcher;
import dev.antler.admin.AdminRoutes;
import dev.antler.admin.ApiErrorFormat;
import dev.antler.console.Admission;
import dev.antler.console.Caller;
import dev.antler.core.GatewayException;
import dev.antler.http.Routes;
import java.util.List;

/**
 * The self-service API under {@code /api/user/}: a signed-in user's own account, usage, tasks, keys, redemptions
 * and password. Every handler reads and writes only the caller's rows: the user id comes from the session, never
 * from the request. See {@code docs/user-api.md}.
 */
final class UserApi {

    static final String PREFIX = "/api/user/";

    private UserApi() {}

    /** Registers the routes; returns them for the API description. */
    static List<AdminRoutes.Endpoint> register(Routes routes, AdminContext context) {
        AdminRoutes table = new AdminRoutes();
        new SelfHandlers(context).register(table);
        new OwnUsageHandlers(context).register(table);
        new OwnKeyHandlers(context).register(table);
        new RedeemHandler(context).register(table);
        Admission admission = users(context.console().admission());
        AdminDispatcher dispatcher = new AdminDispatcher(context, table, PREFIX, admission, "docs/user-api.md", null);
        routes.prefix(PREFIX, ApiErrorFormat.CONSOLE, dispatcher::handle);
        return table.endpoints();
    }

    /** Sessions of a user (marked admin or not); an admin-key session has no user of its own. */
    private static Admission users(Admission sessions) {
        return exchange -> sessions.admit(exchange).map(caller -> {
            if (caller.userId() == null) {
                throw GatewayException.forbidden("user_only",
                        "session: the admin key's (expected: a user's session; the admin key has no account of its own)");
            }
            return caller;
        });
    }

    /** The calling user's id: every query below is scoped by it. */
    static long self(Caller caller) {
        return caller.userId();
    }
}

package dev.antler.admin;

import static java.util.Objects.requireNonNull;

import dev.antler.http.Routes;
import java.util.List;

/**
 * The admin REST API under {@code /api/admin/}: users and their balances, API keys, groups, channels,
 * prices, usage logs and the relay's overhead metrics. Every request needs the admin key or an admin's console session; see {@code docs/admin-api.md}.
 */
public final class AdminApi {

    private AdminApi() {}

    /** @param consoleEndpoints the self-service API's endpoints, described beside the admin API's */
    public static void register(Routes routes, AdminContext context, List<AdminRoutes.Endpoint> consoleEndpoints) {
        requireNonNull(routes, "routes");
        requireNonNull(context, "context");
        AdminRoutes table = new AdminRoutes();
        new UserHandlers(context).register(table);
        new KeyHandlers(context).register(table);
        new GroupHandlers(context).register(table);
        new ChannelHandlers(context).register(table);
        new PriceHandlers(context).register(table);
        new LogHandlers(context).register(table);
        new TaskHandlers(context).register(table);
        new MetricsHandlers(context.limits().body().inflight()).register(table);
        new LedgerHandlers(context).register(table);
        new LimitHandlers(context).register(table);
        new RedemptionHandlers(context).register(table);
        new InviteHandlers(context).register(table);
        new AuditHandlers(context).register(table);
        AdminDispatcher dispatcher = new AdminDispatcher(context, table, AdminDispatcher.PREFIX,
                AdminDispatcher.adminOnly(context, context.console().admission()), "docs/admin-api.md",
                context.console().audit());
        routes.prefix(AdminDispatcher.PREFIX, ApiErrorFormat.ADMIN, dispatcher::handle);
        AdminOpenApi.register(routes, table.endpoints(), consoleEndpoints);
    }
}

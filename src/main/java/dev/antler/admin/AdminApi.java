package dev.antler.admin;

import dev.antler.http.Routes;

/** The admin REST API under {@code /api/admin/}. */
public final class AdminApi {

    private AdminApi() {}

    public static void register(Routes routes, AdminContext context) {
        // routes are registered by the admin handlers
    }
}

package dev.antler.security;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;

/**
 * The CORS policy in front of every route: answers preflight requests and marks answers to allowed
 * origins. API routes allow the configured origins ({@code *} by default: keys travel in headers, not
 * cookies, so a page can only use a key its user gave it); the admin API allows only origins listed
 * for it by name.
 */
public final class Cors implements Handler<HttpServerRequest> {

    private static final String ADMIN_PREFIX = "/api/admin/";
    private static final String METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String DEFAULT_HEADERS = "Authorization, Content-Type, x-api-key";
    private static final String EXPOSED = "X-Request-Id, Retry-After";

    private final Set<String> origins;
    private final boolean anyOrigin;
    private final Set<String> adminOrigins;
    private final Handler<HttpServerRequest> next;

    public Cors(List<String> origins, List<String> adminOrigins, Handler<HttpServerRequest> next) {
        this.origins = Set.copyOf(origins);
        this.anyOrigin = origins.contains("*");
        this.adminOrigins = Set.copyOf(adminOrigins);
        this.next = requireNonNull(next, "next");
    }

    @Override
    public void handle(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            next.handle(request);
            return;
        }
        boolean admin = request.path().startsWith(ADMIN_PREFIX);
        boolean allowed = admin ? adminOrigins.contains(origin) : anyOrigin || origins.contains(origin);
        HttpServerResponse response = request.response();
        if (request.method() == HttpMethod.OPTIONS && request.getHeader("Access-Control-Request-Method") != null) {
            preflight(request, response, origin, allowed, admin);
            return;
        }
        if (allowed) {
            allowOrigin(response, origin, admin);
            response.putHeader("Access-Control-Expose-Headers", EXPOSED);
        }
        next.handle(request);
    }

    private void preflight(HttpServerRequest request, HttpServerResponse response, String origin, boolean allowed,
                           boolean admin) {
        if (!allowed) {
            String setting = admin ? "security.admin_cors_allowed_origins" : "security.cors_allowed_origins";
            response.setStatusCode(403).putHeader("Content-Type", "application/json")
                    .putHeader("Vary", "Origin")
                    .end("{\"error\":{\"message\":\"Origin: " + jsonSafe(origin) + " (expected: an origin listed in "
                            + setting + ")\",\"type\":\"permission_error\",\"code\":\"cors_origin_not_allowed\"}}");
            return;
        }
        allowOrigin(response, origin, admin);
        String headers = request.getHeader("Access-Control-Request-Headers");
        response.setStatusCode(204)
                .putHeader("Access-Control-Allow-Methods", METHODS)
                .putHeader("Access-Control-Allow-Headers", headers == null || headers.isBlank() ? DEFAULT_HEADERS : headers)
                .putHeader("Access-Control-Max-Age", "600")
                .end();
    }

    private void allowOrigin(HttpServerResponse response, String origin, boolean admin) {
        if (anyOrigin && !admin) {
            response.putHeader("Access-Control-Allow-Origin", "*");
        } else {
            response.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
        }
    }

    private static String jsonSafe(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c == '"' || c == '\\' || c < 0x20 ? '?' : c);
        }
        return out.length() > 200 ? out.substring(0, 200) + "..." : out.toString();
    }
}

package dev.antler.config;

import java.util.List;

/**
 * Browser access and upstream address policy.
 *
 * @param corsAllowedOrigins      origins browsers may call the API routes from; {@code "*"} (the default)
 *                                allows any, which is safe because the key travels in a header, never a cookie
 * @param adminCorsAllowedOrigins origins browsers may call {@code /api/admin/} from (default: none; a
 *                                {@code "*"} here is refused)
 * @param allowPrivateBaseUrls    whether channel base URLs and mirrored result URLs may point at loopback,
 *                                private or link-local addresses (default false: a local model server
 *                                such as Ollama on localhost needs {@code true})
 */
public record SecurityConfig(List<String> corsAllowedOrigins, List<String> adminCorsAllowedOrigins,
                             Boolean allowPrivateBaseUrls) {

    public SecurityConfig {
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of("*") : List.copyOf(corsAllowedOrigins);
        adminCorsAllowedOrigins = adminCorsAllowedOrigins == null ? List.of() : List.copyOf(adminCorsAllowedOrigins);
        allowPrivateBaseUrls = allowPrivateBaseUrls != null && allowPrivateBaseUrls;
        if (adminCorsAllowedOrigins.contains("*")) {
            throw new IllegalArgumentException("security.admin_cors_allowed_origins: * (expected: the exact origins "
                    + "of the admin console, such as https://admin.example.com)");
        }
    }

    public static SecurityConfig defaults() {
        return new SecurityConfig(null, null, null);
    }
}

package dev.antler.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * Finds the client's key: {@code Authorization: Bearer <key>}, {@code Authorization: Token <key>} (Replicate's
 * older clients), a bare {@code Authorization: <key>} (as DeerAPI's own examples send it) or {@code x-api-key: <key>}.
 */
public final class ClientKey {

    private ClientKey() {}

    public static String of(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                value = value.substring(7).trim();
            } else if (value.regionMatches(true, 0, "Token ", 0, 6)) {
                value = value.substring(6).trim(); // Replicate's older clients
            }
            return value;
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null ? null : apiKey.trim();
    }
}

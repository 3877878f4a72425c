package dev.antler.console;

import io.vertx.core.http.HttpServerRequest;

/**
 * The console's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
 * Path=/, and Secure when the request came over TLS.
 */
public final class SessionCookie {

    public static final String NAME = "antler_session";

    private SessionCookie() {}

    /** The session id the request carries, or null. */
    public static String read(HttpServerRequest request) {
        for (String header : request.headers().getAll("Cookie")) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                if (trimmed.startsWith(NAME + "=")) {
                    String value = trimmed.substring(NAME.length() + 1).trim();
                    return value.isEmpty() ? null : value;
                }
            }
        }
        return null;
    }

    public static String set(String id, boolean secure, long maxAgeSeconds) {
        return NAME + "=" + id + "; Max-Age=" + maxAgeSeconds + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    public static String clear(boolean secure) {
        return NAME + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}

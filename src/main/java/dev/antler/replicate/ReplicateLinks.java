package dev.antler.replicate;

import dev.antler.relay.ClientRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The base of the gateway's links in a Replicate answer: the configured public base URL, else the host the client
 * addressed (kept with the task at submit, so a webhook, sent with no request at hand, names the gateway too).
 */
final class ReplicateLinks {

    private ReplicateLinks() {}

    static String base(String publicBaseUrl, ClientRequest request) {
        return base(publicBaseUrl, request.scheme(), request.authority(), request.headers().get("Host"),
                request.headers().get("X-Forwarded-Proto"));
    }

    static String base(String publicBaseUrl, HttpServerRequest request) {
        return base(publicBaseUrl, request.scheme(), request.authority() == null ? null : request.authority().toString(),
                request.getHeader("Host"), request.getHeader("X-Forwarded-Proto"));
    }

    private static String base(String publicBaseUrl, String scheme, String authority, String host, String forwarded) {
        if (publicBaseUrl != null) {
            return publicBaseUrl.replaceAll("/+$", "");
        }
        String h = host == null || host.isBlank() ? authority == null ? "localhost" : authority : host.strip();
        return ("https".equalsIgnoreCase(forwarded) || "https".equals(scheme) ? "https" : "http") + "://" + h;
    }
}

package dev.antler.relay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;

/**
 * Takes an upstream URL apart into the origin its connection goes to and the request target, remembering recent
 * URLs: the relay sends every request of a channel to one of a few URLs, and parsing one each time showed up in the
 * relay's profile.
 */
final class UpstreamAddresses {

    /** Where a request goes: the {@code origin}'s connection, and {@code uri} (path and query) as the request line's. */
    record Target(UpstreamOrigin origin, String uri) {}

    private static final Cache<String, Target> RECENT = Caffeine.newBuilder().maximumSize(4096).build();

    private UpstreamAddresses() {}

    /** The target of {@code url}; an {@link IllegalArgumentException} when it is no absolute http(s) URL. */
    static Target target(String url) {
        Target target = RECENT.getIfPresent(url);
        if (target == null) {
            target = parse(url);
            RECENT.put(url, target);
        }
        return target;
    }

    private static Target parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            boolean tls = "https".equalsIgnoreCase(scheme);
            if (!tls && !"http".equalsIgnoreCase(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("upstream URL " + url
                        + " (expected: an absolute http or https URL with a host and no user info)");
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery();
            return new Target(new UpstreamOrigin(tls, uri.getHost(), port), query == null ? path : path + "?" + query);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("upstream URL " + url + ": " + e.getMessage(), e);
        }
    }
}

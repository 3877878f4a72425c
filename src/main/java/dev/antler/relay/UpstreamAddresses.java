package dev.antler.relay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * Sets a request's target from an absolute URL, remembering recent URLs already taken apart: the
 * relay sends every request of a channel to one of a few URLs, and parsing one (what
 * {@link RequestOptions#setAbsoluteURI} does each time) showed up in the relay's profile.
 */
final class UpstreamAddresses {

    private record Address(boolean ssl, String host, int port, String uri) {}

    private static final Cache<String, Address> RECENT = Caffeine.newBuilder().maximumSize(4096).build();

    private UpstreamAddresses() {}

    static RequestOptions target(RequestOptions options, String url) {
        Address address = RECENT.getIfPresent(url);
        if (address == null) {
            address = parse(url);
            if (address == null) {
                return options.setAbsoluteURI(url); // an unusual URL: Vert.x's own parsing, and its error
            }
            RECENT.put(url, address);
        }
        return options.setSsl(address.ssl()).setHost(address.host()).setPort(address.port()).setURI(address.uri());
    }

    private static Address parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            boolean ssl = "https".equalsIgnoreCase(scheme);
            if (!ssl && !"http".equalsIgnoreCase(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery();
            return new Address(ssl, uri.getHost(), port, query == null ? path : path + "?" + query);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}

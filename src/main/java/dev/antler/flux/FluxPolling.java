package dev.antler.flux;

import dev.antler.routing.Channel;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a task is polled. BFL's global endpoint hands each task to a region and answers a {@code polling_url} on
 * that region's host ({@code https://api.eu2.bfl.ai/v1/get_result?id=...}), which BFL says to always poll. It is
 * polled with the channel's key only when its host is the channel's own or a sibling under the same parent domain
 * ({@code api.bfl.ai} → {@code *.bfl.ai}), over http(s): the key never goes to a host its provider did not own.
 * Otherwise (a relay that passes on BFL's URL, an answer without one) the channel's own
 * {@code /v1/get_result?id=} is asked. The gateway's URL guard is applied to it before each poll
 * ({@link FluxTasks}).
 */
final class FluxPolling {

    private FluxPolling() {}

    /** The URL to poll {@code upstreamId} at: {@code pollingUrl} (the upstream's; may be null) when it may be used. */
    static String url(Channel channel, String pollingUrl, String upstreamId) {
        if (pollingUrl != null && related(channel.url("/v1/get_result"), pollingUrl)) {
            return pollingUrl;
        }
        return channel.url("/v1/get_result") + "?id=" + URLEncoder.encode(upstreamId, StandardCharsets.UTF_8);
    }

    /** Whether {@code candidate} is an http(s) URL on {@code own}'s host or under its parent domain. */
    static boolean related(String own, String candidate) {
        String ownHost = host(own);
        String host = host(candidate);
        if (ownHost == null || host == null) {
            return false;
        }
        if (host.equals(ownHost)) {
            return true;
        }
        if (ownHost.matches("[0-9.]+") || ownHost.contains(":") || ownHost.indexOf('.') == ownHost.lastIndexOf('.')) {
            return false; // an address, or a name with no parent below its top-level domain: only itself
        }
        String parent = ownHost.substring(ownHost.indexOf('.') + 1);
        return host.endsWith("." + parent);
    }

    private static String host(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                return null;
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

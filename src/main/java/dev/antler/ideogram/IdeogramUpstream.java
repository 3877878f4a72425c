package dev.antler.ideogram;

import dev.antler.relay.HeaderList;
import dev.antler.relay.Headers;
import dev.antler.relay.UpstreamHeaders;
import dev.antler.routing.Channel;

/**
 * Upstream URL and headers for {@code ideogram} channels: the channel's key goes in {@code Api-Key}; the
 * client's own key ({@code Authorization} in either form, {@code x-api-key}) is never forwarded.
 */
final class IdeogramUpstream {

    static final String DEFAULT_BASE_URL = "https://api.ideogram.ai";

    private IdeogramUpstream() {}

    /** {@code base_url} (Ideogram's own when the channel leaves it empty) plus the native path. */
    static String url(Channel channel, String nativePath) {
        String base = channel.baseUrl() == null || channel.baseUrl().isBlank() ? DEFAULT_BASE_URL : channel.baseUrl().trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + nativePath;
    }

    static HeaderList headers(Channel channel, Headers client, String contentType) {
        return UpstreamHeaders.base(client, contentType, "Accept", "User-Agent").set("Api-Key", channel.apiKey());
    }
}

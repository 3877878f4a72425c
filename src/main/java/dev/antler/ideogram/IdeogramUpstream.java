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

    private IdeogramUpstream() {}

    /**
     * {@code base_url} (Ideogram's own when the channel leaves it empty: the channel type's default, filled in
     * by the routing registry) plus the native path; see {@link Channel#url(String)}.
     */
    static String url(Channel channel, String nativePath) {
        return channel.url(nativePath);
    }

    static HeaderList headers(Channel channel, Headers client, String contentType) {
        return UpstreamHeaders.base(client, contentType, "Accept", "User-Agent")
                .set(IdeogramFamily.CHANNEL_TYPE.auth().name(), IdeogramFamily.CHANNEL_TYPE.auth().value(channel));
    }
}

package dev.antler.anthropic;

import dev.antler.relay.HeaderList;
import dev.antler.relay.Headers;
import dev.antler.relay.UpstreamHeaders;
import dev.antler.routing.Channel;

/**
 * Upstream URL and headers for {@code anthropic} channels: the channel key in {@code x-api-key},
 * the client's {@code anthropic-version} (default {@value #DEFAULT_VERSION}) and {@code anthropic-beta}.
 * The client's own key is never forwarded.
 */
public final class AnthropicUpstream {

    public static final String DEFAULT_VERSION = "2023-06-01";

    private AnthropicUpstream() {}

    /** See {@link Channel#url(String)}. */
    public static String url(Channel channel, String path) {
        return channel.url(path);
    }

    public static HeaderList headers(Channel channel, Headers client) {
        HeaderList headers = UpstreamHeaders.base(client, "application/json", "anthropic-version", "anthropic-beta",
                "User-Agent");
        if (!headers.contains("anthropic-version")) {
            headers.set("anthropic-version", DEFAULT_VERSION);
        }
        return headers.set(AnthropicFamily.CHANNEL_TYPE.auth().name(),
                AnthropicFamily.CHANNEL_TYPE.auth().value(channel));
    }
}

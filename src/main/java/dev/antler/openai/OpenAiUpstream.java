package dev.antler.openai;

import dev.antler.relay.HeaderList;
import dev.antler.relay.Headers;
import dev.antler.relay.UpstreamHeaders;
import dev.antler.routing.Channel;

/** Upstream URL and headers for OpenAI-format channels. The client's own key is never forwarded. */
public final class OpenAiUpstream {

    private OpenAiUpstream() {}

    /** {@code base_url} may be given with or without a trailing {@code /v1}; {@code path} starts with {@code /v1/}. */
    public static String url(Channel channel, String path) {
        String base = channel.baseUrl();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1") && path.startsWith("/v1/")) {
            base = base.substring(0, base.length() - 3);
        }
        return base + path;
    }

    public static HeaderList headers(Channel channel, Headers client, String contentType) {
        return UpstreamHeaders.base(client, contentType, "Accept", "OpenAI-Beta", "User-Agent")
                .set("Authorization", "Bearer " + channel.apiKey());
    }
}

package dev.antler.openai;

import dev.antler.relay.HeaderList;
import dev.antler.relay.Headers;
import dev.antler.relay.UpstreamHeaders;
import dev.antler.routing.Channel;

/** Upstream URL and headers for OpenAI-format channels. The client's own key is never forwarded. */
public final class OpenAiUpstream {

    private OpenAiUpstream() {}

    /** {@code path} starts with {@code /v1/}; see {@link Channel#url(String)}. */
    public static String url(Channel channel, String path) {
        return channel.url(path);
    }

    public static HeaderList headers(Channel channel, Headers client, String contentType) {
        return UpstreamHeaders.base(client, contentType, "Accept", "OpenAI-Beta", "User-Agent")
                .set(OpenAiFamily.CHANNEL_TYPE.auth().name(), OpenAiFamily.CHANNEL_TYPE.auth().value(channel));
    }
}

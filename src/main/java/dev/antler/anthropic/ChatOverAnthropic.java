package dev.antler.anthropic;

import dev.antler.json.Json;
import dev.antler.relay.Headers;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import java.time.Clock;
import java.util.Set;

/** What the OpenAI chat operation needs to serve a model from an {@code anthropic} channel. */
public final class ChatOverAnthropic {

    public static final Set<String> CHANNEL_TYPES = Set.of(MessagesOperation.ANTHROPIC);

    private ChatOverAnthropic() {}

    public static boolean serves(Channel channel) {
        return channel.type().equals(MessagesOperation.ANTHROPIC);
    }

    /** Throws a 400 when the chat request {@code body} cannot be translated. */
    public static void check(byte[] body, String model) {
        ChatToMessages.translate(Json.MAPPER.readTree(body), model, model);
    }

    /** The Messages request for the client's chat request {@code body}; a 400 for what cannot be translated. */
    public static UpstreamRequest upstreamRequest(byte[] body, String model, Channel channel, Headers client) {
        byte[] translated = ChatToMessages.translate(Json.MAPPER.readTree(body), model, channel.upstreamModel(model));
        return UpstreamRequest.post(AnthropicUpstream.url(channel, "/v1/messages"),
                AnthropicUpstream.headers(channel, client), new UpstreamRequest.Bytes(translated));
    }

    /** The tap translating the channel's answer into a chat completion or chunks. */
    public static ResponseTap tap(byte[] body, String model, boolean clientWantsUsage, Clock clock) {
        return new MessagesToChatTap(model, body, clientWantsUsage, clock.millis() / 1000);
    }
}

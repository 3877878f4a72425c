package dev.antler.anthropic;

import dev.antler.family.UpstreamAuth;
import dev.antler.health.ProbeRequest;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The test request of {@code anthropic} channels. */
final class AnthropicProbe {

    /** The model an Anthropic channel is probed with when it lists none: the cheapest current one. */
    static final String DEFAULT_MODEL = "claude-haiku-4-5";

    private AnthropicProbe() {}

    /**
     * A one-token message: exercises the key, the model and the credit balance (Anthropic answers 400
     * "credit balance is too low" or 401 {@code authentication_error} when they fail).
     */
    static ProbeRequest request(Channel channel) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", channel.upstreamModel(ProbeRequest.model(channel, DEFAULT_MODEL)));
        body.put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
        UpstreamAuth auth = AnthropicFamily.CHANNEL_TYPE.auth();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(auth.name(), auth.value(channel))
                .set("anthropic-version", AnthropicUpstream.DEFAULT_VERSION)
                .set("Content-Type", "application/json")
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return new ProbeRequest("POST", channel.url("/v1/messages"), headers, body.toString());
    }
}

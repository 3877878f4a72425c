package dev.antler.openai;

import dev.antler.family.UpstreamAuth;
import dev.antler.health.ProbeRequest;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The test request of {@code openai} channels. */
final class OpenAiProbe {

    /** The model an OpenAI channel is probed with when it lists none. */
    static final String DEFAULT_MODEL = "gpt-4o-mini";

    private OpenAiProbe() {}

    /** A one-token chat completion: exercises the key, the model and the account's credit. */
    static ProbeRequest request(Channel channel) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", channel.upstreamModel(ProbeRequest.model(channel, DEFAULT_MODEL)));
        body.put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
        UpstreamAuth auth = OpenAiFamily.CHANNEL_TYPE.auth();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(auth.name(), auth.value(channel))
                .set("Content-Type", "application/json")
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return new ProbeRequest("POST", channel.url("/v1/chat/completions"), headers, body.toString());
    }
}

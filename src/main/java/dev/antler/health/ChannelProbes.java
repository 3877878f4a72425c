package dev.antler.health;

import dev.antler.openai.OpenAiUpstream;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The probe of each channel type. A family whose upstream has no cheap request that proves the key
 * and the billing (Ideogram bills every call) has none; its channels are not testable.
 */
public final class ChannelProbes {

    /** The model an OpenAI channel is probed with when it lists none. */
    static final String OPENAI_DEFAULT_MODEL = "gpt-4o-mini";

    private final Map<String, Function<Channel, ProbeRequest>> byType;

    public ChannelProbes(Map<String, Function<Channel, ProbeRequest>> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static ChannelProbes builtIn() {
        return new ChannelProbes(Map.of("openai", ChannelProbes::openAi));
    }

    public Optional<ProbeRequest> probe(Channel channel) {
        Function<Channel, ProbeRequest> probe = byType.get(channel.type());
        return probe == null ? Optional.empty() : Optional.of(probe.apply(channel));
    }

    /** A one-token chat completion: exercises the key, the model and the account's credit. */
    static ProbeRequest openAi(Channel channel) {
        String model = channel.models().isEmpty() ? OPENAI_DEFAULT_MODEL : channel.models().iterator().next();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", channel.upstreamModel(model));
        body.put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set("Authorization", "Bearer " + channel.apiKey())
                .set("Content-Type", "application/json")
                .set("User-Agent", "antler-channel-test");
        return new ProbeRequest("POST", OpenAiUpstream.url(channel, "/v1/chat/completions"), headers, body.toString());
    }
}

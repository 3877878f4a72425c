package dev.antler.health;

import dev.antler.anthropic.AnthropicUpstream;
import dev.antler.openai.OpenAiUpstream;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The probe of each channel type: the smallest real request that shows the key works (and, where the
 * upstream bills, that the account can pay). {@code ideogram} has none: every Ideogram API call
 * generates or analyses an image and is billed, and the API has no free read-only endpoint (no model
 * or account listing) to prove the key with; its channels are not testable.
 */
public final class ChannelProbes {

    /** The model an OpenAI channel is probed with when it lists none. */
    static final String OPENAI_DEFAULT_MODEL = "gpt-4o-mini";
    /** The model an Anthropic channel is probed with when it lists none: the cheapest current one. */
    static final String ANTHROPIC_DEFAULT_MODEL = "claude-haiku-4-5";
    private static final String USER_AGENT = "antler-channel-test";

    private final Map<String, Function<Channel, ProbeRequest>> byType;

    public ChannelProbes(Map<String, Function<Channel, ProbeRequest>> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static ChannelProbes builtIn() {
        return new ChannelProbes(Map.of("openai", ChannelProbes::openAi, "anthropic", ChannelProbes::anthropic,
                "midjourney", ChannelProbes::midjourney));
    }

    public Optional<ProbeRequest> probe(Channel channel) {
        Function<Channel, ProbeRequest> probe = byType.get(channel.type());
        return probe == null ? Optional.empty() : Optional.of(probe.apply(channel));
    }

    /** The channel types that have a probe, sorted. */
    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    /** A one-token chat completion: exercises the key, the model and the account's credit. */
    static ProbeRequest openAi(Channel channel) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", channel.upstreamModel(model(channel, OPENAI_DEFAULT_MODEL)));
        body.put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set("Authorization", "Bearer " + channel.apiKey())
                .set("Content-Type", "application/json")
                .set("User-Agent", USER_AGENT);
        return new ProbeRequest("POST", OpenAiUpstream.url(channel, "/v1/chat/completions"), headers, body.toString());
    }

    /**
     * A one-token message: exercises the key, the model and the credit balance (Anthropic answers 400
     * "credit balance is too low" or 401 {@code authentication_error} when they fail).
     */
    static ProbeRequest anthropic(Channel channel) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", channel.upstreamModel(model(channel, ANTHROPIC_DEFAULT_MODEL)));
        body.put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set("x-api-key", channel.apiKey())
                .set("anthropic-version", AnthropicUpstream.DEFAULT_VERSION)
                .set("Content-Type", "application/json")
                .set("User-Agent", USER_AGENT);
        return new ProbeRequest("POST", AnthropicUpstream.url(channel, "/v1/messages"), headers, body.toString());
    }

    /**
     * midjourney-proxy's task query for no ids: free, submits nothing, and answers 401 when the
     * {@code mj-api-secret} is wrong. (Whether the Discord account behind it can draw shows only on a
     * submit, which would cost a generation.)
     */
    static ProbeRequest midjourney(Channel channel) {
        String base = channel.baseUrl().endsWith("/")
                ? channel.baseUrl().substring(0, channel.baseUrl().length() - 1) : channel.baseUrl();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set("mj-api-secret", channel.apiKey())
                .set("Content-Type", "application/json")
                .set("User-Agent", USER_AGENT);
        return new ProbeRequest("POST", base + "/mj/task/list-by-condition", headers, "{\"ids\":[]}");
    }

    private static String model(Channel channel, String fallback) {
        return channel.models().isEmpty() ? fallback : channel.models().iterator().next();
    }
}

package dev.antler.anthropic;

import dev.antler.billing.Price;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Routes;
import dev.antler.relay.Relay;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * The Anthropic family: {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}, answering
 * errors in Anthropic's envelope. {@code GET /v1/models} is shared with the OpenAI family, which answers
 * in Anthropic's shape when asked the Anthropic way ({@link AnthropicModels}).
 */
public final class AnthropicFamily implements Family {

    /** Anthropic's API: the key in {@code x-api-key}; no default base URL. */
    static final ChannelType CHANNEL_TYPE = new ChannelType(MessagesOperation.ANTHROPIC, null,
            UpstreamAuth.header("x-api-key"), AnthropicProbe::request);

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return AnthropicErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return ClaudePrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        Routes routes = context.routes();
        Relay relay = context.relay();
        MessagesOperation messages = MessagesOperation.messages();
        MessagesOperation countTokens = MessagesOperation.countTokens();
        routes.add(HttpMethod.POST, "/v1/messages", AnthropicErrorFormat.INSTANCE,
                exchange -> relay.handle(exchange, messages));
        routes.add(HttpMethod.POST, "/v1/messages/count_tokens", AnthropicErrorFormat.INSTANCE,
                exchange -> relay.handle(exchange, countTokens));
    }
}

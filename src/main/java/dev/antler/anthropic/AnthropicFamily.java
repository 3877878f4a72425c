package dev.antler.anthropic;

import dev.antler.http.Routes;
import dev.antler.relay.Relay;
import io.vertx.core.http.HttpMethod;

/**
 * Registers Anthropic's routes: {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens},
 * answering errors in Anthropic's envelope. {@code GET /v1/models} is shared with the OpenAI family,
 * which answers in Anthropic's shape when asked the Anthropic way ({@link AnthropicModels}).
 */
public final class AnthropicFamily {

    private AnthropicFamily() {}

    public static void register(Routes routes, Relay relay) {
        MessagesOperation messages = MessagesOperation.messages();
        MessagesOperation countTokens = MessagesOperation.countTokens();
        routes.add(HttpMethod.POST, "/v1/messages", AnthropicErrorFormat.INSTANCE,
                exchange -> relay.handle(exchange, messages));
        routes.add(HttpMethod.POST, "/v1/messages/count_tokens", AnthropicErrorFormat.INSTANCE,
                exchange -> relay.handle(exchange, countTokens));
    }
}

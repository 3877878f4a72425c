package dev.antler.openai;

import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.ResponseTap;
import dev.antler.routing.Channel;
import java.util.Set;

/** What every OpenAI-format operation shares: its endpoint, the channel type, and the tap. */
abstract class OpenAiOperation implements Operation<OpenAiRequest> {

    private static final Set<String> CHANNEL_TYPES = Set.of("openai");

    final OpenAiEndpoint endpoint;

    OpenAiOperation(OpenAiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return endpoint.operationName();
    }

    @Override
    public Set<String> channelTypes() {
        return CHANNEL_TYPES;
    }

    @Override
    public ResponseTap newTap(Intent<OpenAiRequest> intent, Channel channel) {
        return new OpenAiTap(intent.details());
    }
}

package dev.antler.images;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Operation;
import dev.antler.relay.OperationChoice;
import dev.antler.routing.ChannelRegistry;
import java.time.Clock;
import java.util.Set;

/**
 * {@code POST /v1/images/generations} for every image model: a model a channel of the OpenAI format names
 * explicitly goes there (an operator's OpenAI-compatible upstream keeps it); otherwise the image family whose dialect
 * claims the model serves it ({@link ImagesVia}); any other model is OpenAI's.
 */
public final class ImagesChoice implements OperationChoice {

    private final Operation<?> openAi;
    private final Set<String> openAiTypes;
    private final ImageDialects dialects;
    private final ChannelRegistry channels;
    private final ImageFetch fetch;
    private final Clock clock;

    public ImagesChoice(Operation<?> openAi, ImageDialects dialects, ChannelRegistry channels, ImageFetch fetch,
                        Clock clock) {
        this.openAi = requireNonNull(openAi, "openAi");
        this.openAiTypes = openAi.channelTypes();
        this.dialects = requireNonNull(dialects, "dialects");
        this.channels = requireNonNull(channels, "channels");
        this.fetch = requireNonNull(fetch, "fetch");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public Operation.BodyKind bodyKind() {
        return Operation.BodyKind.JSON;
    }

    @Override
    public Operation<?> choose(Principal principal, ClientRequest client) {
        String model = ImageAsk.modelOf(client.body());
        ImageDialect dialect = dialects.forModel(model).orElse(null);
        if (dialect == null || !channels.tiers(principal.user().group(), openAiTypes,
                channel -> channel.models().contains(model)).isEmpty()) {
            return openAi;
        }
        ImageAsk ask = ImageAsk.read(client.body());
        return via(dialect, dialect.own(ask, client), ask);
    }

    private <D> Operation<D> via(ImageDialect dialect, ImageDialect.Own<D> own, ImageAsk ask) {
        return new ImagesVia<>(dialect, own, ask, fetch, clock);
    }
}

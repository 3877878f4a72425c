package dev.antler.images;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Operation;
import dev.antler.relay.OperationChoice;
import dev.antler.relay.RelayServices;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.TaskSubmit;
import dev.antler.tasks.Tasks;
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
    private final ImagesViaTask.Waiting waiting;

    public ImagesChoice(Operation<?> openAi, ImageDialects dialects, RelayServices services, ImageFetch fetch) {
        this.openAi = requireNonNull(openAi, "openAi");
        this.openAiTypes = openAi.channelTypes();
        this.dialects = requireNonNull(dialects, "dialects");
        this.channels = services.channels();
        this.fetch = requireNonNull(fetch, "fetch");
        this.clock = services.clock();
        Tasks tasks = services.tasks();
        this.waiting = new ImagesViaTask.Waiting(tasks.waiters(), tasks.results(), fetch,
                services.blocking(), tasks.config().imageWaitSeconds() * 1000L, clock);
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
        if (own.operation() instanceof TaskSubmit<D> submit) {
            return new ImagesViaTask<>(dialect, submit, own.request(), ask, waiting);
        }
        return new ImagesVia<>(dialect, own, ask, fetch, clock);
    }
}

package dev.antler.openai;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.relay.Operation;
import java.util.EnumMap;
import java.util.Map;

/** The OpenAI-format operations, and the hold each request takes before it is sent. */
public final class OpenAiOperations {

    /** Audio holds assume 16 kB per second (128 kbit/s MP3): an upper bound for common uploads. */
    static final long AUDIO_BYTES_PER_SECOND = 2_000;
    /** Audio-input tokens per second used for holds and estimates of token-priced transcription. */
    static final long AUDIO_TOKENS_PER_SECOND = 10;
    /** Output tokens of the largest gpt-image answer (1536x1024, high quality). */
    static final long IMAGE_OUTPUT_TOKENS = 6_240;
    /**
     * The most output tokens a request may ask for (no model comes near it): with {@link #MAX_CHOICES}, it
     * keeps a hold's arithmetic far from overflow.
     */
    static final long MAX_OUTPUT_TOKENS = Integer.MAX_VALUE;
    /** The most choices ({@code n}) of a text answer, OpenAI's own limit. */
    static final long MAX_CHOICES = 128;
    /** The most images ({@code n}) of one image request, OpenAI's own limit. */
    static final long MAX_IMAGES = 10;

    private OpenAiOperations() {}

    /** Every endpoint's operation; {@code owners} remembers which channel made each Responses API response. */
    static Map<OpenAiEndpoint, Operation<?>> all(ResponseOwners owners) {
        Map<OpenAiEndpoint, Operation<?>> operations = new EnumMap<>(OpenAiEndpoint.class);
        for (OpenAiEndpoint endpoint : OpenAiEndpoint.values()) {
            operations.put(endpoint, switch (endpoint) {
                case IMAGE_EDITS, TRANSCRIPTIONS, TRANSLATIONS -> new MultipartOperation(endpoint);
                case RESPONSES -> new JsonOperation(endpoint, owners);
                default -> new JsonOperation(endpoint);
            });
        }
        return operations;
    }

    /** The most a request can cost before the group multiplier, from what the request says and its prompt's bound. */
    static long holdEstimate(OpenAiRequest request, long promptEstimate, Price price) {
        Usage usage = switch (request.endpoint().metering()) {
            case TOKENS -> Usage.tokens(promptEstimate, Math.multiplyExact(request.maxOutput(), request.count()));
            case IMAGES -> price.perImage() != null
                    ? new Usage(0, 0, 0, 0, request.count(), 0)
                    : Usage.tokens(promptEstimate, IMAGE_OUTPUT_TOKENS * request.count());
            case CHARACTERS -> Usage.tokens(request.characters(), 0);
            case AUDIO -> {
                long seconds = Math.max(1, request.uploadBytes() / AUDIO_BYTES_PER_SECOND);
                yield new Usage(seconds * AUDIO_TOKENS_PER_SECOND, request.maxOutput(), 0, 0, 0, seconds);
            }
            case CALL -> Usage.NONE;
        };
        return CostCalculator.baseCost(price, usage);
    }
}

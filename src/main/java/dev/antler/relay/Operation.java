package dev.antler.relay;

import dev.antler.billing.Price;
import dev.antler.routing.Channel;
import java.util.Set;

/**
 * One endpoint of a provider family (the family adaptor's only job): how to read the client's
 * request, how to build the upstream request for a channel, and how to read usage from the answer.
 * Everything else — authentication, holds, routing, failover, settlement — is the relay's. It speaks
 * plain records and bytes only, so it is exercised without a server.
 *
 * @param <D> what the operation reads from a request ({@link Intent#details()}), handed back to each later step
 */
public interface Operation<D> {

    /** A short name for logs, e.g. {@code chat.completions}. */
    String name();

    /** Channel types that can serve this operation. */
    Set<String> channelTypes();

    /**
     * Whether this is an auxiliary route of its channels (token counting): an upstream (a proxy, a key scoped to
     * the main routes) may refuse it while it serves the channel's main routes, so its refusal of the key does not
     * disable the channel.
     */
    default boolean auxiliary() {
        return false;
    }

    /** How the request body is read before inspection. */
    BodyKind bodyKind();

    /** Validates the request and reads what routing and billing need. Throws a 400 on bad input. */
    Intent<D> inspect(ClientRequest request);

    /**
     * The most this request can cost under {@code price}, before the group multiplier: the hold. Operations
     * whose prompt is priced per token bound all of it (text, images, audio, documents, tools) as
     * {@code basis} says.
     */
    long holdEstimate(Intent<D> intent, Price price, HoldBasis basis);

    /**
     * The request's output-token limit, and how to lower it, when its hold is the prompt plus output tokens;
     * null otherwise.
     */
    default OutputLimit<D> outputLimit(Intent<D> intent, HoldBasis basis) {
        return null;
    }

    /** The upstream request for {@code channel}; {@code client} is the request {@code intent} was read from. */
    UpstreamRequest upstreamRequest(Intent<D> intent, Channel channel, ClientRequest client);

    /**
     * A fresh observer of {@code channel}'s successful answer; operations that translate pick it by the
     * channel's type.
     */
    ResponseTap newTap(Intent<D> intent, Channel channel);

    /**
     * {@link #newTap(Intent, Channel)} for a call by the user {@code userId}: an operation that remembers something
     * of its answers for their caller (which channel holds a stored response) overrides this one.
     */
    default ResponseTap newTap(Intent<D> intent, Channel channel, long userId) {
        return newTap(intent, channel);
    }

    /**
     * Channel types the operation reaches by translating the request to their format and the answer back
     * (Anthropic Messages ⇄ OpenAI chat). A channel naming the model comes first whatever its format; among
     * channels naming it, or among catch-all ones, those of {@link #channelTypes()} come first.
     */
    default Set<String> translatedChannelTypes() {
        return Set.of();
    }

    /**
     * Throws a 400 when the request cannot be translated for {@link #translatedChannelTypes()}; called
     * before anything is held when such a channel serves the model (when channels of
     * {@link #channelTypes()} serve it too, an untranslatable request goes to those only).
     */
    default void checkTranslatable(Intent<D> intent) {}

    /**
     * The JSON answer the gateway gives itself, logged and not charged, when a channel of
     * {@link #translatedChannelTypes()} is the first choice for the model; null when the operation has
     * none. An operation with one is never sent to those channels.
     */
    default byte[] localAnswer(Intent<D> intent) {
        return null;
    }

    /** Whether {@link #localAnswer} gives an answer. */
    default boolean answersLocally() {
        return false;
    }

    /**
     * The least this operation can hold, in nano-USD: checked against the balance before the body is read.
     * One nano-dollar (any priced request needs some money available); 0 for an operation that needs no balance.
     */
    default long minimumHold() {
        return 1;
    }

    /**
     * Whether the upstream charges nothing for this call (a stored response's retrieve): it needs no price and no
     * balance, holds nothing, and is logged at zero.
     */
    default boolean free() {
        return false;
    }

    /**
     * Whether the request names something an upstream keeps for its creator (a stored response), which
     * {@link #locate} finds in the gateway's store before the request is admitted.
     */
    default boolean locates() {
        return false;
    }

    /**
     * {@code intent} completed with what the gateway's store knows of the thing it names, for the user
     * {@code userId}: its model and the channel that holds it ({@link #pinnedChannel}); throws a 404 when it is not
     * that user's. Blocking: the relay runs it off the event loop, after {@link #inspect}, when {@link #locates()}.
     */
    default Intent<D> locate(Intent<D> intent, long userId) {
        return intent;
    }

    /**
     * The one channel that must serve the request — the upstream knows what it refers to (a task followed up, a
     * stored response) there only — or null for any. No other channel is tried; its breaker applies as usual.
     */
    default Long pinnedChannel(Intent<D> intent) {
        return null;
    }

    enum BodyKind {
        NONE,
        JSON,
        MULTIPART
    }
}

package dev.antler.tasks;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.core.GatewayException;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.ResponseTap;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A paid submit of an async task family: an operation of the relay chain like any other — authenticated, under
 * the key's and user's limits, held, routed with breakers and failover, under the channel's timeouts, logged —
 * whose upstream answer opens a task instead of being relayed. The family reads that answer
 * ({@link #read}) and renders the client's ({@link #answer}); the chain does the money:
 * <ol>
 *   <li>at submit, {@link #units} (requested seconds, clips, images; 1 for a per-call price) are held;</li>
 *   <li>when the upstream accepts, the charge is set on the units it reports ({@link SubmitReply.Accepted#units}),
 *       else on those held, and the task opened with it;</li>
 *   <li>at completion the task engine settles a per-unit task on what was made ({@link TaskUpdate#units}); a
 *       final failure refunds it in full.</li>
 * </ol>
 * A submit is tried on another channel only while the upstream cannot have accepted it: a connect failure, or
 * an answer {@link #read} calls {@link SubmitReply.Refused#tryElsewhere()}.
 */
public interface TaskSubmit<D> extends Operation<D> {

    /**
     * The family of the task {@code intent} opens and among whose tasks it resolves (its name is stored on the
     * task; its renderer serves the task's webhooks): the operation's own, or, for a generic route handing each
     * model to its family's own submit, that family's.
     */
    String family(Intent<D> intent);

    /**
     * Resolves what the submit refers to among the caller's own tasks (the task an upscale acts on, the clip a
     * continuation extends), replacing gateway ids by the upstream's; throws 404 for an id that is not the
     * caller's. Runs off the event loop, after {@link #inspect}.
     */
    default Intent<D> resolve(Intent<D> intent, OwnTasks own) {
        return intent;
    }

    /**
     * The channels that may serve the submit, in priority tiers: by default those of {@link #channelTypes()}
     * serving {@code intent}'s model to {@code group}. A family whose channels say what they serve otherwise
     * overrides it (and may throw its own "no channel" error when none does).
     */
    default List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<D> intent) {
        return registry.route(group, intent.model(), channelTypes(), Set.of()).tiers();
    }

    /** The price names to try in order: the intent's price key, then its model's own price. */
    default List<String> priceKeys(Intent<D> intent) {
        return intent.priceKey().equals(intent.model()) ? List.of(intent.model())
                : List.of(intent.priceKey(), intent.model());
    }

    /** The usage log's endpoint for this submit (an action's name where one route serves several). */
    default String endpoint(Intent<D> intent) {
        return name();
    }

    /** The units the hold covers: seconds of video, clips, images; 1 for a task priced per call. */
    default long units(Intent<D> intent) {
        return 1;
    }

    /** The price of one unit, nano-USD before the group multiplier; null when the task is priced per call. */
    default Long unitPrice(Price price) {
        return null;
    }

    /** The usage row's units for a charge of {@code units}. */
    default Usage usage(long units) {
        return Usage.images(units);
    }

    /**
     * What an accepted submit is charged: per {@link SubmitCost#of} from {@link #unitPrice}, {@link #units} and
     * {@link #usage}, unless one submit serves several families (then the family's own submit's).
     */
    default SubmitCost cost(Intent<D> intent, Price price, long multiplierPpm, Long reportedUnits) {
        return SubmitCost.of(this, intent, price, multiplierPpm, reportedUnits);
    }

    /** What the upstream's answer to the submit means; may block (runs off the event loop). */
    SubmitReply read(Intent<D> intent, Channel channel, int status, byte[] body);

    /** The new task's family facts, before it is stored. */
    TaskDraft draft(Intent<D> intent, SubmitReply.Accepted accepted);

    /**
     * The client's answer for an accepted submit: the gateway's task id, never the upstream's; {@code requestId}
     * is the gateway's id of this request, for families whose answers carry one (Kling's {@code request_id}).
     */
    byte[] answer(Intent<D> intent, Task task, SubmitReply.Accepted accepted, String requestId);

    /** A new public task id; unguessable (some families' result links open with the id alone). */
    default String newPublicId(long now) {
        return TaskIds.next();
    }

    /** A new public task id for {@code intent}'s task: {@link #newPublicId(long)} unless the family depends on it. */
    default String newPublicId(Intent<D> intent, long now) {
        return newPublicId(now);
    }

    @Override
    default long holdEstimate(Intent<D> intent, Price price, HoldBasis basis) {
        Long unit = unitPrice(price);
        return unit != null ? Math.multiplyExact(unit, units(intent)) : CostCalculator.baseCost(price, usage(1));
    }

    @Override
    default ResponseTap newTap(Intent<D> intent, Channel channel) {
        return () -> new ResponseTap.Metered(Usage.NONE, "none"); // a submit's answer is read whole, not tapped
    }

    /**
     * The client's webhook URL this submit's task will call, or null: checked before anything is held — an http(s)
     * URL on a public host, as channel addresses are ({@code security.allow_private_base_urls}).
     */
    default String webhook(Intent<D> intent) {
        return null;
    }

    /** The error answered for a webhook URL the gateway will not call; {@code expected}: what it must be. */
    default GatewayException webhookRefused(String url, String expected) {
        return new GatewayException(422, dev.antler.core.ErrorKind.INVALID_REQUEST, "invalid_webhook", "webhook: "
                + url + " (expected: " + expected + ")");
    }

    /**
     * What the client is answered once its task is open: {@code answer} at once (the default), or later — for a
     * route that waits for the result. Completes on any thread.
     */
    default CompletionStage<Delivery> deliver(Intent<D> intent, Task task, byte[] answer) {
        return CompletableFuture.completedFuture(new Delivery.Answer(answer));
    }

    /** A submit's answer to its client: a body (200), or an error rendered in the route's envelope. */
    sealed interface Delivery {
        record Answer(byte[] body) implements Delivery {}

        record Failure(GatewayException error) implements Delivery {}
    }
}

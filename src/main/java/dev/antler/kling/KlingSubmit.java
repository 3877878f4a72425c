package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.tasks.ResultLinks;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskSubmit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /kling/v1/{videos|images}/{action}} with Kling's own body, sent to {@code {base}/v1/...} with the
 * channel's signed token. Billed per {@link KlingAction.Billing}: a video per second asked at
 * {@code kling/<model>/<mode>} (held and charged for the seconds asked, settled at completion on the seconds
 * made), an image generation per image at {@code kling/images/<model>} (settled on the images made), the rest per
 * call at {@code kling/<model>} — unless the operator prices Kling's own units ({@link KlingUnits}): then the
 * task is held and charged in thousandths of a unit at that price and settled on the units Kling reports. The
 * client's {@code callback_url} is kept for the gateway's own callback and never sent upstream; with a public base
 * URL configured, Kling is given the gateway's own instead ({@link KlingCallbacks}).
 */
final class KlingSubmit implements TaskSubmit<KlingRequest> {

    private final KlingAction action;
    private final KlingAuth auth;
    private final String publicBaseUrl;
    private final Function<String, Optional<Price>> prices;

    /**
     * @param publicBaseUrl the gateway's public base URL: Kling is then asked to call back there; null: polled
     * @param prices        the effective prices by key, to find a Kling unit price
     */
    KlingSubmit(KlingAction action, KlingAuth auth, String publicBaseUrl, Function<String, Optional<Price>> prices) {
        this.action = requireNonNull(action, "action");
        this.auth = requireNonNull(auth, "auth");
        this.publicBaseUrl = publicBaseUrl == null ? null : publicBaseUrl.replaceAll("/+$", "");
        this.prices = requireNonNull(prices, "prices");
    }

    @Override
    public String name() {
        return "kling." + action.path;
    }

    @Override
    public String family(Intent<KlingRequest> intent) {
        return KlingTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(KlingFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<KlingRequest> inspect(ClientRequest client) {
        JsonNode body = client.body() instanceof RequestBody.InMemory memory ? parse(memory.bytes()) : null;
        if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: Kling's "
                    + action.path + " request, e.g. {\"prompt\": \"...\"})");
        }
        KlingRequest read = KlingInput.read(action, (ObjectNode) body).withLinks(
                ResultLinks.base(publicBaseUrl, client), ResultLinks.token(), ResultLinks.token());
        KlingRequest request = KlingUnits.hold(read, prices, price -> ownHold(read, price))
                .map(read::withUnitHold).orElse(read);
        return new Intent<>(request.model(), false, request,
                request.unitHold() != null ? request.unitHold().priceKey() : request.priceKey());
    }

    /** A task priced per Kling unit is priced by its unit price alone (the one found at inspection). */
    @Override
    public List<String> priceKeys(Intent<KlingRequest> intent) {
        KlingUnits.Hold hold = intent.details().unitHold();
        return hold != null ? List.of(hold.priceKey()) : TaskSubmit.super.priceKeys(intent);
    }

    /** Seconds, images or 1; for a task priced per Kling unit, the thousandths of a unit held. */
    @Override
    public long units(Intent<KlingRequest> intent) {
        KlingUnits.Hold hold = intent.details().unitHold();
        return hold != null ? hold.milliUnits() : intent.details().units();
    }

    @Override
    public long holdEstimate(Intent<KlingRequest> intent, Price price, HoldBasis basis) {
        KlingUnits.Hold hold = intent.details().unitHold();
        return hold != null ? Math.multiplyExact(KlingUnits.milliPrice(price), hold.milliUnits())
                : ownHold(intent.details(), price);
    }

    /**
     * A task priced per Kling unit is charged its held milli-units at the price of a milli-unit (so completion
     * settles it on the units Kling reports), its usage row counting what was asked (seconds, images, 1).
     */
    @Override
    public SubmitCost cost(Intent<KlingRequest> intent, Price price, long multiplierPpm, Long reportedUnits) {
        KlingUnits.Hold hold = intent.details().unitHold();
        if (hold == null) {
            return TaskSubmit.super.cost(intent, price, multiplierPpm, reportedUnits);
        }
        long unitNanos = CostCalculator.applyMultiplier(KlingUnits.milliPrice(price), multiplierPpm);
        long units = reportedUnits != null ? reportedUnits : hold.milliUnits();
        return new SubmitCost(unitNanos, units, Math.multiplyExact(unitNanos, units), usage(intent.details().units()));
    }

    /** The hold of {@code request} at its own (per second, image or call) price, nano-USD before the multiplier. */
    private long ownHold(KlingRequest request, Price price) {
        Long unit = unitPrice(price);
        return unit != null ? Math.multiplyExact(unit, request.units()) : CostCalculator.baseCost(price, usage(1));
    }

    @Override
    public Long unitPrice(Price price) {
        return switch (action.billing) {
            case SECONDS -> price.perSecond();
            case IMAGES -> price.perImage();
            case CALL -> null;
        };
    }

    @Override
    public Usage usage(long units) {
        return switch (action.billing) {
            case SECONDS -> Usage.seconds(units);
            case IMAGES, CALL -> Usage.images(units);
        };
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<KlingRequest> intent, Channel channel, ClientRequest client) {
        HeaderList headers = new HeaderList()
                .set(KlingFamily.CHANNEL_TYPE.auth().name(), auth.header(channel))
                .set("Content-Type", "application/json");
        ObjectNode body = intent.details().upstream();
        if (publicBaseUrl != null) {
            body = body.deepCopy();
            body.put("callback_url", publicBaseUrl + KlingCallbacks.PATH + channel.id() + "-"
                    + intent.details().callbackToken());
        }
        return UpstreamRequest.post(KlingTasks.url(channel, action.submitPath()), headers,
                new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<KlingRequest> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = parse(body);
        String id = answer == null ? "" : answer.path("data").path("task_id").asString("");
        if (status == 200 && answer.path("code").asInt(-1) == 0 && !id.isBlank()) {
            var initial = KlingStatus.toTask(answer.path("data").path("task_status").asString("submitted"));
            return SubmitReply.Accepted.of(id, initial == null ? dev.antler.tasks.TaskStatus.SUBMITTED : initial,
                    body);
        }
        if (status == 400 && answer != null && KlingErrorFormat.INSTANCE.isOwnEnvelope(Json.MAPPER.writeValueAsString(answer))) {
            // Kling refused the input (a check the gateway does not make): its own words, uncharged.
            ObjectNode refusal = Json.object();
            refusal.put("code", answer.path("code").asInt());
            refusal.put("message", answer.path("message").asString());
            refusal.put("request_id", answer.path("request_id").asString(""));
            refusal.putNull("data");
            return new SubmitReply.Refused(400, Json.bytes(refusal), "upstream refused: " + answer.path("message").asString());
        }
        boolean elsewhere = SubmitReply.Failed.retryable(status) || status == 401 || status == 403;
        return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                "upstream_error", "upstream: HTTP " + status + (answer == null ? "" : ", code "
                + answer.path("code").asString("?")) + " (expected: 200 with code 0 and a task id)"), elsewhere);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<KlingRequest> intent) {
        return intent.details().callback();
    }

    @Override
    public TaskDraft draft(Intent<KlingRequest> intent, SubmitReply.Accepted accepted) {
        KlingRequest request = intent.details();
        ObjectNode kept = Json.object();
        kept.put("kind", action.kind);
        kept.put("model_name", request.model());
        if (request.externalId() != null) {
            kept.put("external_task_id", request.externalId());
        }
        kept.put("base", request.base());
        kept.put("result_token", request.resultToken());
        if (publicBaseUrl != null) {
            kept.put("callback_token", request.callbackToken());
        }
        if (action.billing == KlingAction.Billing.SECONDS) {
            kept.put("seconds", request.seconds());
        }
        KlingUnits.Hold hold = request.unitHold();
        if (hold != null) {
            kept.put(KlingTasks.UNIT_PRICE_KEY, hold.priceKey());
            kept.put("units_held", KlingUnits.format(hold.milliUnits()));
            kept.put("units_held_on", hold.listed() ? "kling_table" : "own_price");
        }
        return new TaskDraft(action.path, request.mode(), Json.MAPPER.writeValueAsString(kept), request.callback());
    }

    @Override
    public byte[] answer(Intent<KlingRequest> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        return Json.bytes(KlingTaskView.envelope(requestId, KlingTaskView.data(task, null)));
    }

    static JsonNode parse(byte[] bytes) {
        return Json.objectOrNull(bytes);
    }
}

package dev.antler.replicate;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskSubmit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A prediction: {@code POST /replicate/v1/models/{owner}/{name}/predictions} ({@link Route#MODEL}) or
 * {@code POST /replicate/v1/predictions} with {@code version} ({@link Route#VERSION}; see {@link ReplicateCatalog}).
 * Sent upstream as {@code POST /v1/models/{owner}/{name}/predictions {input}} for a model's latest version, or
 * {@code POST /v1/predictions {version, input}} for a pinned one (the client's, or the channel's
 * {@code model_mapping} of the model to {@code owner/name:<version id>} or a version id). The client's webhook and
 * {@code Prefer} stay with the gateway: the gateway polls, sends the webhooks itself, signed
 * ({@link WebhookSigner}), and holds the answer for {@code Prefer: wait} ({@link PreferWait}). Charged per
 * {@link Billing}; an upstream refusal (422 input validation, 404 unknown model) is Replicate's own problem JSON,
 * uncharged.
 */
final class ReplicateSubmit implements TaskSubmit<ReplicateRequest> {

    /** Which create route: the model in the path, or {@code version} in the body. */
    enum Route { MODEL, VERSION }

    static final String ACTION = "PREDICT";

    private final Route route;
    private final ReplicateCatalog catalog;
    private final String publicBaseUrl;
    private final PreferWait wait;
    private final ReplicateTasks tasks;

    ReplicateSubmit(Route route, ReplicateCatalog catalog, String publicBaseUrl, PreferWait wait,
                    ReplicateTasks tasks) {
        this.route = requireNonNull(route, "route");
        this.catalog = requireNonNull(catalog, "catalog");
        this.publicBaseUrl = publicBaseUrl;
        this.wait = requireNonNull(wait, "wait");
        this.tasks = requireNonNull(tasks, "tasks");
    }

    @Override
    public String name() {
        return route == Route.MODEL ? "replicate.models.predictions" : "replicate.predictions";
    }

    @Override
    public String family(Intent<ReplicateRequest> intent) {
        return ReplicateTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(ReplicateFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<ReplicateRequest> inspect(ClientRequest client) {
        int waitSeconds = ReplicateInput.waitSeconds(client.headers().get("Prefer"));
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        ObjectNode body = ReplicateInput.body(client);
        ReplicateCatalog.Target target = route == Route.MODEL ? new ReplicateCatalog.Target(modelInPath(client), null)
                : catalog.target(ReplicateInput.version(body));
        String webhook = ReplicateInput.webhook(body);
        List<String> events = ReplicateInput.events(body);
        Price price = catalog.priceOrNotFound(target.model());
        Billing billing = Billing.of(price);
        ObjectNode input = (ObjectNode) body.get("input");
        ReplicateRequest request = new ReplicateRequest(target.model(), target.version(), input, webhook, events,
                waitSeconds, waitUntil, ResultLinks.addFacts(Json.object(), publicBaseUrl, client), billing,
                units(billing, input));
        return new Intent<>(target.model(), false, request, ReplicatePrices.PREFIX + target.model());
    }

    /** {@code owner/name} of {@code /replicate/v1/models/{owner}/{name}/predictions}. */
    private static String modelInPath(ClientRequest client) {
        String[] parts = client.path().substring(ReplicateFamily.MODELS.length()).split("/", -1);
        return ReplicateInput.model(parts[0], parts.length > 1 ? parts[1] : "");
    }

    /** The units held: the images asked for ({@code num_outputs}, 1 to 100), the seconds held, or one prediction. */
    static long units(Billing billing, JsonNode input) {
        return switch (billing) {
            case IMAGES -> {
                JsonNode n = input.path("num_outputs");
                yield n.isIntegralNumber() && n.asLong() >= 1 ? Math.min(n.asLong(), 100) : 1;
            }
            case SECONDS -> Billing.HELD_SECONDS;
            case CALL -> 1;
        };
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<ReplicateRequest> intent) {
        return catalog.tiers(group, intent.model());
    }

    @Override
    public long units(Intent<ReplicateRequest> intent) {
        return intent.details().units();
    }

    @Override
    public Long unitPrice(Price price) {
        return Billing.of(price).unitPrice(price);
    }

    @Override
    public SubmitCost cost(Intent<ReplicateRequest> intent, Price price, long multiplierPpm, Long reportedUnits) {
        SubmitCost cost = SubmitCost.of(this, intent, price, multiplierPpm, reportedUnits);
        Billing billing = Billing.of(price);
        return billing == Billing.SECONDS
                ? new SubmitCost(cost.unitNanos(), cost.units(), cost.costNanos(), billing.usage(cost.units())) : cost;
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<ReplicateRequest> intent, Channel channel, ClientRequest client) {
        ReplicateRequest request = intent.details();
        String version = request.version();
        String model = request.model();
        if (version == null) {
            String mapped = channel.upstreamModel(model);
            int colon = mapped.indexOf(':');
            if (colon > 0) {
                version = mapped.substring(colon + 1);
            } else if (ReplicateInput.MODEL.matcher(mapped).matches()) {
                model = mapped;
            } else {
                version = mapped;
            }
        }
        ObjectNode body = Json.object();
        String path;
        if (version != null) {
            body.put("version", version);
            path = "/v1/predictions";
        } else {
            path = "/v1/models/" + model + "/predictions";
        }
        body.set("input", request.input());
        HeaderList headers = new HeaderList()
                .set(ReplicateFamily.CHANNEL_TYPE.auth().name(), ReplicateFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(channel.url(path), headers, new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<ReplicateRequest> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = Json.objectOrNull(body);
        String id = answer == null ? "" : answer.path("id").asString("");
        if (status / 100 == 2 && !id.isBlank() && ReplicateStatus.toTask(answer.path("status").asString("")) != null) {
            // Always opened as starting: the first look upstream then reports the start (a webhook event), and a
            // prediction that ended at once is settled or refunded by the engine like any other.
            return SubmitReply.Accepted.of(id, TaskStatus.SUBMITTED, body);
        }
        if ((status == 400 || status == 404 || status == 422) && answer != null) {
            // Replicate refused the prediction (its input, an unknown model or version): its words, uncharged.
            String title = answer.path("title").asString(status == 422 ? "Input validation failed" : "Bad request");
            String detail = answer.path("detail").asString(title);
            return new SubmitReply.Refused(status, Json.bytes(ReplicateErrorFormat.problem(status, title, detail)),
                    "upstream refused: HTTP " + status + " " + title);
        }
        boolean elsewhere = SubmitReply.Failed.retryable(status) || status == 401 || status == 402 || status == 403;
        return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                "upstream_error", "upstream: HTTP " + status + " (expected: 201 with a prediction)"), elsewhere);
    }

    /** The client's {@code webhook}, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<ReplicateRequest> intent) {
        return intent.details().webhook();
    }

    @Override
    public TaskDraft draft(Intent<ReplicateRequest> intent, SubmitReply.Accepted accepted) {
        ReplicateRequest request = intent.details();
        return new TaskDraft(ACTION, null, Json.MAPPER.writeValueAsString(ReplicateFacts.request(request)),
                request.webhook());
    }

    @Override
    public byte[] answer(Intent<ReplicateRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        return tasks.render(task);
    }

    /** With {@code Prefer: wait}, the answer is held ({@link PreferWait}); otherwise it is given at once. */
    @Override
    public CompletionStage<Delivery> deliver(Intent<ReplicateRequest> intent, Task task, byte[] answer) {
        ReplicateRequest request = intent.details();
        CompletionStage<byte[]> body = request.waitSeconds() == 0 ? CompletableFuture.completedFuture(answer)
                : wait.hold(task, request.waitUntil()).exceptionally(failure -> answer);
        return body.thenApply(Delivery.Answer::new);
    }
}

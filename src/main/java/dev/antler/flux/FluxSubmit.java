package dev.antler.flux;

import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskSubmit;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /flux/v1/{model}} with BFL's own body, checked ({@link FluxInput}) and sent to {@code {base}/v1/{model}}
 * with the channel's {@code x-key}, less the client's webhook fields (the gateway polls BFL and calls the client's
 * webhook itself, so BFL never learns of it). Priced per image at {@code flux/<model>} (else the model's own price),
 * held and charged for the one image a submit makes; a moderation or an error refunds it. BFL's answers:
 * <ul>
 *   <li>200 with {@code id} and {@code polling_url}: accepted; the polling URL is kept with the task;</li>
 *   <li>400, 422: the request's fault — BFL's {@code detail} to the client, uncharged;</li>
 *   <li>402 (the channel's account is out of credit; the chain disables the channel), 401, 403, a key refused
 *       as malformed (422), 429, 503: not taken, the next channel is tried;</li>
 *   <li>anything else: an upstream error, uncharged, not tried elsewhere (BFL may have taken the work).</li>
 * </ul>
 */
final class FluxSubmit implements TaskSubmit<FluxRequest> {

    static final String PREFIX = "/flux/v1/";

    private final String publicBaseUrl;

    /** @param publicBaseUrl the gateway's public base URL for links; null: each request's host */
    FluxSubmit(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String name() {
        return "flux.generate";
    }

    @Override
    public String family(Intent<FluxRequest> intent) {
        return FluxTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(FluxFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<FluxRequest> inspect(ClientRequest client) {
        String name = client.path().substring(PREFIX.length());
        FluxModel model = FluxModel.of(name).orElseThrow(() -> GatewayException.notFound("model_not_found",
                "model: " + name + " (expected: one of " + FluxModel.ids() + ")"));
        JsonNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes()) : null;
        if (body == null) {
            throw FluxErrorFormat.invalid("body", "(not a JSON object)", "BFL's " + model.id
                    + " request, e.g. {\"prompt\": \"...\"}");
        }
        FluxRequest request = FluxInput.read(model, (ObjectNode) body);
        ObjectNode facts = ResultLinks.addFacts(Json.object().put("model", model.id), publicBaseUrl, client);
        request = request.withLinks(facts, ResultLinks.base(publicBaseUrl, client));
        return new Intent<>(model.id, false, request, model.priceKey());
    }

    /** The client's {@code webhook_url}, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<FluxRequest> intent) {
        return intent.details().webhookUrl();
    }

    @Override
    public GatewayException webhookRefused(String url, String expected) {
        return FluxErrorFormat.invalid("webhook_url", url, expected);
    }

    @Override
    public Long unitPrice(Price price) {
        return price.perImage();
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<FluxRequest> intent, Channel channel, ClientRequest client) {
        HeaderList headers = new HeaderList()
                .set(FluxFamily.CHANNEL_TYPE.auth().name(), FluxFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json")
                .set("Accept", "application/json");
        return UpstreamRequest.post(channel.url("/v1/" + intent.details().model().id), headers,
                new UpstreamRequest.Bytes(Json.bytes(intent.details().upstream())));
    }

    @Override
    public SubmitReply read(Intent<FluxRequest> intent, Channel channel, int status, byte[] body) {
        ObjectNode answer = Json.objectOrNull(body);
        String id = answer == null ? "" : answer.path("id").asString("");
        if (status == 200 && !id.isBlank()) {
            return SubmitReply.Accepted.of(id, TaskStatus.SUBMITTED, body);
        }
        boolean refused = (status == 400 || status == 422) && answer != null && answer.has("detail");
        boolean keyRefused = refused && keyRefused(answer);
        if (refused && !keyRefused) {
            // BFL refused the input (a check the gateway does not make): its own words, uncharged.
            ObjectNode refusal = Json.object();
            refusal.set("detail", answer.get("detail"));
            return new SubmitReply.Refused(status, Json.bytes(refusal), "upstream refused: HTTP " + status);
        }
        if (status == 402) {
            return new SubmitReply.Failed(new GatewayException(503, ErrorKind.UPSTREAM, "upstream_out_of_credit",
                    "upstream: HTTP 402, the channel's account is out of credit (expected: a channel with credit; "
                            + "this one was disabled)"), true);
        }
        boolean elsewhere = SubmitReply.Failed.retryable(status) || status == 401 || status == 403 || keyRefused;
        return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                "upstream_error", "upstream: HTTP " + status + " (expected: 200 with an id and a polling_url)"),
                elsewhere);
    }

    /** BFL answers a malformed key with 422 {@code {"detail": "Invalid API key format"}}: the channel's fault. */
    private static boolean keyRefused(JsonNode answer) {
        JsonNode detail = answer.path("detail");
        return detail.isString() && detail.asString().toLowerCase(Locale.ROOT).contains("api key");
    }

    @Override
    public TaskDraft draft(Intent<FluxRequest> intent, SubmitReply.Accepted accepted) {
        FluxRequest request = intent.details();
        ObjectNode facts = request.facts().deepCopy();
        ObjectNode answer = Json.objectOrNull(accepted.upstreamAnswer());
        String polling = answer == null ? "" : answer.path("polling_url").asString("");
        if (!polling.isBlank()) {
            facts.put("polling_url", polling);
        }
        if (request.webhookSecret() != null) {
            facts.put("webhook_secret", request.webhookSecret());
        }
        return new TaskDraft(request.model().id, null, Json.MAPPER.writeValueAsString(facts), request.webhookUrl());
    }

    @Override
    public byte[] answer(Intent<FluxRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        ObjectNode upstream = Json.objectOrNull(accepted.upstreamAnswer());
        return Json.bytes(FluxTaskView.answer(task, intent.details().base(), upstream == null ? Json.object()
                : upstream));
    }
}

package dev.antler.minimax;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.PricedPerSecond;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /minimax/v1/video_generation} and {@code POST /minimax/v2/video_generation} with MiniMax's own bodies,
 * checked against the model table ({@link MiniMaxInput}, {@link MiniMaxV2Input}) and sent to the channel's
 * {@code {base}/v1|v2/video_generation} with its key as a Bearer token. Priced at the list price of the video
 * asked ({@link MiniMaxRequest#priceKey()}): a V1 video per video (or per second, where an operator prices it so),
 * a V2 video per second, held for the seconds asked (and the reference video MiniMax may bill besides) and settled
 * on the seconds its query reports as billed. The client's {@code callback_url} is kept for the gateway's own
 * webhook and never sent upstream. The answer is MiniMax's, with the gateway's task id.
 */
final class MiniMaxSubmit implements PricedPerSecond<MiniMaxRequest> {

    static final String ACTION = "video_generation";

    private final MiniMaxApi api;
    private final MiniMaxReplies replies;
    private final String publicBaseUrl;

    /** @param publicBaseUrl the gateway's public base URL for result links; null: each request's host */
    MiniMaxSubmit(MiniMaxApi api, MiniMaxReplies replies, String publicBaseUrl) {
        this.api = requireNonNull(api, "api");
        this.replies = requireNonNull(replies, "replies");
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String name() {
        return "minimax." + api.mode + "." + ACTION;
    }

    @Override
    public String family(Intent<MiniMaxRequest> intent) {
        return MiniMaxTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(MiniMaxFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<MiniMaxRequest> inspect(ClientRequest client) {
        ObjectNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes())
                : null;
        if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: MiniMax's "
                    + api.submitPath + " request, e.g. {\"model\": \"" + MiniMaxModels.of(api).get(0).name()
                    + "\", \"prompt\": \"...\"})");
        }
        MiniMaxRequest request = api == MiniMaxApi.V1 ? MiniMaxInput.v1(body) : MiniMaxV2Input.read(body);
        ObjectNode facts = Json.object();
        facts.put("model", request.model().name());
        facts.put("duration", request.seconds());
        facts.put("resolution", request.resolution());
        if (request.upstream().has("ratio")) {
            facts.set("ratio", request.upstream().get("ratio"));
        }
        ResultLinks.addFacts(facts, publicBaseUrl, client);
        request = request.withFacts(facts);
        return new Intent<>(request.model().name(), false, request, request.priceKey());
    }

    /** The seconds held: those asked (V2: and the reference video MiniMax may bill). Per second prices only. */
    @Override
    public long units(Intent<MiniMaxRequest> intent) {
        return intent.details().held();
    }


    /** As by default; a video priced per video logs its seconds (not "1") in the usage row. */
    @Override
    public SubmitCost cost(Intent<MiniMaxRequest> intent, Price price, long multiplierPpm, Long reportedUnits) {
        SubmitCost cost = SubmitCost.of(this, intent, price, multiplierPpm, reportedUnits);
        return cost.unitNanos() == 0 && cost.costNanos() > 0
                ? new SubmitCost(0, cost.units(), cost.costNanos(), usage(intent.details().seconds())) : cost;
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<MiniMaxRequest> intent, Channel channel, ClientRequest client) {
        ObjectNode body = intent.details().upstream().deepCopy();
        body.put("model", channel.upstreamModel(intent.model()));
        HeaderList headers = new HeaderList()
                .set(MiniMaxFamily.CHANNEL_TYPE.auth().name(), MiniMaxFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(MiniMaxFamily.url(channel, api.submitPath), headers, new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<MiniMaxRequest> intent, Channel channel, int status, byte[] body) {
        return replies.submit(api, channel, status, body);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<MiniMaxRequest> intent) {
        return intent.details().callback();
    }

    @Override
    public TaskDraft draft(Intent<MiniMaxRequest> intent, SubmitReply.Accepted accepted) {
        MiniMaxRequest request = intent.details();
        return new TaskDraft(ACTION, api.mode, Json.MAPPER.writeValueAsString(request.facts()), request.callback());
    }

    /** V1: {@code {task_id, base_resp: {0, "success"}}}; V2: {@code {task_id}}; the gateway's id. */
    @Override
    public byte[] answer(Intent<MiniMaxRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        ObjectNode out = Json.object();
        out.put("task_id", task.publicId());
        if (api == MiniMaxApi.V1) {
            out.set("base_resp", MiniMaxView.ok());
        }
        return Json.bytes(out);
    }

    @Override
    public String newPublicId(long now) {
        return MiniMaxIds.next();
    }
}

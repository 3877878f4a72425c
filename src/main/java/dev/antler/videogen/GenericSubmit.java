package dev.antler.videogen;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.GenericVideo;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskSubmit;
import dev.antler.tasks.VideoDialect;
import dev.antler.tasks.VideoDialects;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/video/generations}: the generic body is read ({@link GenericInput}), the model's dialect turns it
 * into its family's own request, and that family's own submit does the rest — inspection, channels, prices, hold,
 * upstream call, the task (the family's: its poller settles and refunds it) — with its own intent. This submit
 * answers in new-api's shape only and logs as {@code video.generations}.
 */
final class GenericSubmit implements TaskSubmit<Bound<?>> {

    static final String NAME = "video.generations";

    private final VideoDialects dialects;

    GenericSubmit(VideoDialects dialects) {
        this.dialects = requireNonNull(dialects, "dialects");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Never one of its own: the task is the family's its model went to. */
    @Override
    public String family(Intent<Bound<?>> intent) {
        return intent.details().family();
    }

    @Override
    public Set<String> channelTypes() {
        return dialects.channelTypes();
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<Bound<?>> inspect(ClientRequest client) {
        GenericVideo video = GenericInput.read(client.body());
        VideoDialect dialect = dialects.forModel(video.model()).orElseThrow(() -> GatewayException.notFound(
                "model_not_found", "model: " + video.model() + " (expected: a video model served to this key's group; "
                        + "GET /v1/models lists them)"));
        return wrap(Bound.inspect(dialect.own(video, client)));
    }

    private static Intent<Bound<?>> wrap(Bound<?> bound) {
        return new Intent<>(bound.intent().model(), false, bound, bound.intent().priceKey());
    }

    @Override
    public Intent<Bound<?>> resolve(Intent<Bound<?>> intent, OwnTasks own) {
        return wrap(intent.details().resolve(own));
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<Bound<?>> intent) {
        return intent.details().tiers(registry, group);
    }

    @Override
    public List<String> priceKeys(Intent<Bound<?>> intent) {
        return intent.details().priceKeys();
    }

    @Override
    public String endpoint(Intent<Bound<?>> intent) {
        return NAME;
    }

    @Override
    public Long pinnedChannel(Intent<Bound<?>> intent) {
        return intent.details().pinnedChannel();
    }

    @Override
    public long units(Intent<Bound<?>> intent) {
        return intent.details().units();
    }

    @Override
    public long holdEstimate(Intent<Bound<?>> intent, Price price, HoldBasis basis) {
        return intent.details().holdEstimate(price, basis);
    }

    @Override
    public SubmitCost cost(Intent<Bound<?>> intent, Price price, long multiplierPpm, Long reportedUnits) {
        return intent.details().cost(price, multiplierPpm, reportedUnits);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Bound<?>> intent, Channel channel, ClientRequest client) {
        return intent.details().upstreamRequest(channel);
    }

    /** The family's reading; a refusal in the family's own envelope is given in OpenAI's. */
    @Override
    public SubmitReply read(Intent<Bound<?>> intent, Channel channel, int status, byte[] body) {
        SubmitReply reply = intent.details().read(channel, status, body);
        return reply instanceof SubmitReply.Refused refused ? new SubmitReply.Refused(refused.status(),
                OpenAiErrorFormat.upstreamRefusal(refused.answer()), refused.why()) : reply;
    }

    @Override
    public TaskDraft draft(Intent<Bound<?>> intent, SubmitReply.Accepted accepted) {
        return intent.details().draft(accepted);
    }

    /** new-api's answer: {@code {id, task_id, object: "video", model, status: "queued", created_at}}, the gateway's id. */
    @Override
    public byte[] answer(Intent<Bound<?>> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        ObjectNode out = Json.object();
        out.put("id", task.publicId());
        out.put("task_id", task.publicId());
        out.put("object", "video");
        out.put("model", intent.model());
        out.put("status", "queued");
        out.put("created_at", task.submittedAt() / 1000);
        return Json.bytes(out);
    }

    @Override
    public String newPublicId(Intent<Bound<?>> intent, long now) {
        return intent.details().newPublicId(now);
    }
}

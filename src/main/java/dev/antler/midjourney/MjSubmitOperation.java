package dev.antler.midjourney;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskSubmit;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A midjourney-proxy submit ({@code /mj[-mode]/submit/...}) on the relay chain. Priced per action and mode
 * ({@code mj_imagine_relax}, falling back to {@code mj_imagine}); routed to the channels whose models name the
 * action and mode, or none of either ({@link MjChannels}); a follow-up goes to its parent task's channel.
 *
 * <p>The upstream accepts with code 1, 22 (queued: NOT_START) or 21. Code 21 means two things upstream.
 * midjourney-proxy answers 21 "already exists" with the id of an upscale it has already done (and its
 * {@code status} in {@code properties}): no new work, so nothing is charged, and the caller gets the gateway
 * task it already has for it (or a new uncharged one that follows it). midjourney-proxy-plus answers 21
 * "Waiting for window confirm" with a new task that waits in MODAL for {@code /submit/modal}: new work,
 * charged like code 1. Any other code (23 queue full, 24 banned prompt, 4, 9, ...) is passed on, uncharged.
 */
final class MjSubmitOperation implements TaskSubmit<MjSubmitOperation.Submit> {

    /** A submit as read, and the gateway's base URL its image links are made from. */
    record Submit(MjSubmitRequest request, String baseUrl) {}

    private final String kind;
    private final String mode;
    private final String publicBaseUrl;

    /**
     * @param kind          the path after {@code /mj/}, e.g. {@code submit/imagine}
     * @param mode          {@code fast}, {@code relax}, {@code turbo}, or null under plain {@code /mj}
     * @param publicBaseUrl the gateway's external base URL for image links; null: from the request's host
     */
    MjSubmitOperation(String kind, String mode, String publicBaseUrl) {
        this.kind = kind;
        this.mode = mode;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String name() {
        return "mj." + kind;
    }

    @Override
    public String family(Intent<MjSubmitOperation.Submit> intent) {
        return MjTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return MjChannels.TYPES;
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<Submit> inspect(ClientRequest client) {
        MjSubmitRequest request = MjSubmitRequest.read(kind, MjInput.object(client.body()));
        MjActions.Action action = request.action();
        return new Intent<>(action.baseKey(), false, new Submit(request, baseUrl(client)), action.priceKey(mode));
    }

    @Override
    public Intent<Submit> resolve(Intent<Submit> intent, OwnTasks own) {
        MjSubmitRequest resolved = intent.details().request().resolve(id -> own.find("taskId", id));
        return new Intent<>(intent.model(), false, new Submit(resolved, intent.details().baseUrl()), intent.priceKey());
    }

    @Override
    public Long pinnedChannel(Intent<Submit> intent) {
        Task parent = intent.details().request().parent();
        return parent == null ? null : parent.channelId();
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<Submit> intent) {
        List<List<Channel>> tiers = MjChannels.tiers(registry, group, intent.model(), mode);
        if (tiers.isEmpty()) {
            throw new GatewayException(503, ErrorKind.NO_CHANNEL, "model_not_available", "model: " + intent.model()
                    + " under /" + MjChannels.modeEntry(mode) + " (expected: a Midjourney channel serving it to group '"
                    + group + "', its models listing " + intent.model() + " and " + MjChannels.modeEntry(mode)
                    + " or no action / no mode)");
        }
        return tiers;
    }

    @Override
    public String endpoint(Intent<Submit> intent) {
        return "mj." + intent.details().request().action().priceAction();
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Submit> intent, Channel channel, ClientRequest client) {
        MjSubmitRequest request = intent.details().request();
        String path = (mode == null ? "" : "/mj-" + mode) + request.upstreamPath();
        HeaderList headers = new HeaderList()
                .set(MidjourneyFamily.CHANNEL_TYPE.auth().name(), MidjourneyFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json");
        return new UpstreamRequest("POST", channel.url(path), headers,
                new UpstreamRequest.Bytes(Json.bytes(request.upstreamBody())));
    }

    @Override
    public SubmitReply read(Intent<Submit> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = status / 100 == 2 ? parse(body) : null;
        if (answer == null) {
            GatewayException error = new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                    "upstream_error", status / 100 == 2
                    ? "upstream: " + channel.name() + " answered HTTP " + status + " with a body that is not a JSON "
                            + "object (expected: a midjourney-proxy answer with code and result)"
                    : "upstream: " + channel.name() + " answered HTTP " + status + " (expected: 200)");
            return new SubmitReply.Failed(error, SubmitReply.Failed.retryable(status));
        }
        MjSubmitRequest request = intent.details().request();
        int code = answer.path("code").asInt(-1);
        String upstreamId = answer.path("result").asString("");
        boolean accepted = (code == 1 || code == 21 || code == 22) && (!upstreamId.isBlank() || !request.createsTask());
        if (!accepted) {
            ObjectNode out = Json.object();
            out.put("code", code);
            out.put("description", answer.path("description").asString(""));
            out.putNull("result");
            out.set("properties", properties(answer));
            return new SubmitReply.Refused(200, Json.bytes(out),
                    "code " + code + ": " + answer.path("description").asString(""));
        }
        if (!request.createsTask()) {
            return new SubmitReply.Answered(body, true);
        }
        if (code == 21) {
            boolean exists = answer.path("properties").hasNonNull("status");
            // an upstream task that already exists: no new work; otherwise a new task waiting for /submit/modal
            return exists ? new SubmitReply.Accepted(upstreamId, TaskStatus.SUBMITTED, 0L, body)
                    : SubmitReply.Accepted.of(upstreamId, TaskStatus.MODAL, body);
        }
        return SubmitReply.Accepted.of(upstreamId, code == 22 ? TaskStatus.NOT_START : TaskStatus.SUBMITTED, body);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<Submit> intent) {
        return intent.details().request().notifyHook();
    }

    @Override
    public TaskDraft draft(Intent<Submit> intent, SubmitReply.Accepted accepted) {
        MjSubmitRequest request = intent.details().request();
        ObjectNode facts = Json.object();
        facts.put("baseUrl", intent.details().baseUrl());
        ResultLinks.addFacts(facts, intent.details().baseUrl()); // its image's link on OpenAI's images route
        for (String field : new String[] {"prompt", "state", "customId", "botType"}) {
            JsonNode value = request.upstreamBody().get(field);
            if (value != null && value.isString()) {
                facts.set(field, value);
            }
        }
        return new TaskDraft(request.action().taskAction(), mode, Json.MAPPER.writeValueAsString(facts),
                request.notifyHook());
    }

    @Override
    public byte[] answer(Intent<Submit> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        JsonNode upstream = parse(accepted.upstreamAnswer());
        ObjectNode out = Json.object();
        out.put("code", upstream.path("code").asInt(1));
        out.put("description", upstream.path("description").asString("Submit success"));
        out.put("result", task.publicId());
        out.set("properties", properties(upstream));
        return Json.bytes(out);
    }

    @Override
    public String newPublicId(long now) {
        return MjIds.next(now);
    }

    /** The upstream's {@code properties}, without its {@code imageUrl} (clients get images via the gateway). */
    private static ObjectNode properties(JsonNode answer) {
        ObjectNode properties = answer.path("properties") instanceof ObjectNode p ? p.deepCopy() : Json.object();
        properties.remove("imageUrl");
        return properties;
    }

    private static JsonNode parse(byte[] body) {
        return Json.objectOrNull(body);
    }

    private String baseUrl(ClientRequest client) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        String host = client.host();
        return client.scheme() + "://" + (host == null ? "localhost" : host);
    }
}

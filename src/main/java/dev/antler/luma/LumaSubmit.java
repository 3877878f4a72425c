package dev.antler.luma;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskSubmit;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Luma generation, from either wire format ({@link LumaFormat}), sent to {@code POST {base}/dream-machine/v1/
 * generations} in Luma's official shape with the channel's key as a Bearer token. Priced per call at
 * {@code luma/<model>/<duration>/<resolution>}. A keyframe naming an earlier generation (and a reverse extend) names
 * the caller's own task by the gateway's id: it is resolved to Luma's id and the submit goes to that task's channel.
 * The client's callback stays with the gateway, which posts the task to it in the client's format; Luma is polled.
 */
final class LumaSubmit implements TaskSubmit<LumaRequest> {

    static final String UPSTREAM_PATH = "/dream-machine/v1/generations";

    private final LumaFormat format;
    private final boolean extend;
    private final String publicBaseUrl;

    /**
     * @param extend        the reverse {@code /luma/generations/{id}/extend}: the path names the generation extended
     * @param publicBaseUrl the gateway's public base URL for result links; null: each request's host
     */
    LumaSubmit(LumaFormat format, boolean extend, String publicBaseUrl) {
        this.format = requireNonNull(format, "format");
        this.extend = extend;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String name() {
        return format == LumaFormat.OFFICIAL ? "luma.generations" : extend ? "luma.extend" : "luma.reverse";
    }

    @Override
    public String family(Intent<LumaRequest> intent) {
        return LumaTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(LumaFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<LumaRequest> inspect(ClientRequest client) {
        JsonNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes()) : null;
        if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: a Luma generation "
                    + "request, e.g. {\"" + (format == LumaFormat.OFFICIAL ? "prompt" : "user_prompt")
                    + "\": \"...\"})");
        }
        LumaRequest request = format == LumaFormat.OFFICIAL ? LumaInput.official((ObjectNode) body)
                : LumaInput.reverse((ObjectNode) body, extend ? parentId(client.path()) : null);
        request = request.withLinks(ResultLinks.addFacts(Json.object(), publicBaseUrl, client));
        return new Intent<>(request.model().id, false, request, request.priceKey());
    }

    /** {@code /luma/generations/{id}/extend} → {@code id}. */
    private static String parentId(String path) {
        String rest = path.substring(LumaFamily.REVERSE.length() + 1);
        return rest.substring(0, rest.indexOf('/'));
    }

    /** The keyframes naming generations by the gateway's ids, given Luma's ids; all on one channel. */
    @Override
    public Intent<LumaRequest> resolve(Intent<LumaRequest> intent, OwnTasks own) {
        LumaRequest request = intent.details();
        if (request.parents().isEmpty()) {
            return intent;
        }
        ObjectNode upstream = request.upstream().deepCopy();
        Long channelId = null;
        for (String frame : request.parents()) {
            ObjectNode keyframe = (ObjectNode) upstream.path("keyframes").path(frame);
            String field = extend ? "id" : "keyframes." + frame + ".id";
            Task parent = own.find(field, keyframe.path("id").asString());
            if (channelId != null && channelId != parent.channelId()) {
                throw LumaFields.bad(field, keyframe.path("id"), "a generation made on the same upstream channel as "
                        + "the other keyframe's");
            }
            channelId = parent.channelId();
            keyframe.put("id", parent.upstreamId());
        }
        return new Intent<>(intent.model(), false, request.resolved(upstream, channelId), intent.priceKey());
    }

    @Override
    public Long pinnedChannel(Intent<LumaRequest> intent) {
        return intent.details().channelId();
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<LumaRequest> intent, Channel channel, ClientRequest client) {
        ObjectNode body = intent.details().upstream().deepCopy();
        body.put("model", channel.upstreamModel(intent.details().model().id));
        HeaderList headers = new HeaderList()
                .set(LumaFamily.CHANNEL_TYPE.auth().name(), LumaFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(LumaTasks.url(channel, UPSTREAM_PATH), headers,
                new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<LumaRequest> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = Json.objectOrNull(body);
        String id = answer == null ? "" : answer.path("id").asString("");
        if (status / 100 == 2 && !id.isBlank()) {
            TaskStatus initial = LumaStatus.toTask(answer.path("state").asString(""));
            return SubmitReply.Accepted.of(id, initial == null || initial.terminal() ? TaskStatus.QUEUED : initial,
                    body);
        }
        if ((status == 400 || status == 422) && answer != null && answer.has("detail")) {
            // Luma refused the input (a check the gateway does not make): its own words, uncharged.
            JsonNode detail = answer.path("detail");
            String why = detail.isString() ? detail.asString() : detail.toString();
            return new SubmitReply.Refused(400, Json.bytes(LumaErrorFormat.detail("upstream: " + why)),
                    "upstream refused: " + why);
        }
        boolean elsewhere = SubmitReply.Failed.retryable(status) || status == 401 || status == 403;
        return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                "upstream_error", "upstream: HTTP " + status + " (expected: 201 with a generation id)"), elsewhere);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<LumaRequest> intent) {
        return intent.details().hook();
    }

    @Override
    public TaskDraft draft(Intent<LumaRequest> intent, SubmitReply.Accepted accepted) {
        LumaRequest request = intent.details();
        ObjectNode facts = request.links() == null ? Json.object() : request.links().deepCopy();
        facts.put("format", request.format().fact);
        facts.put("model", request.model().id);
        facts.put("duration", request.duration());
        facts.put("resolution", request.resolution());
        facts.put("prompt", request.prompt());
        if (request.format() == LumaFormat.OFFICIAL) {
            facts.set("request", request.echo());
        }
        return new TaskDraft(extend ? "extend" : "generation", null, Json.MAPPER.writeValueAsString(facts),
                request.hook());
    }

    @Override
    public byte[] answer(Intent<LumaRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        return Json.bytes(LumaView.render(task, null));
    }
}

package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.PricedPerSecond;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /runway/v1/{image_to_video|text_to_video|video_to_video}} with Runway's own body, sent to
 * {@code {base}/v1/...} on a {@code runway} channel with its key and the {@code X-Runway-Version}. Priced per second
 * of video at {@code runway/<model>} ({@code runway/<model>/no-audio} for a Veo 3.1 video without audio): held and
 * charged for the seconds asked (or the most the model makes when none are), settled when it completes on the
 * seconds the video has (never more than held). Answered {@code {"id": <the gateway's task id>}}.
 */
final class RunwaySubmit implements PricedPerSecond<RunwayRequest> {

    private final RunwayEndpoint endpoint;
    private final LinkFacts links;

    RunwaySubmit(RunwayEndpoint endpoint, LinkFacts links) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.links = requireNonNull(links, "links");
    }

    @Override
    public String name() {
        return "runway." + endpoint.path;
    }

    @Override
    public String family(Intent<RunwayRequest> intent) {
        return RunwayTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(RunwayFamily.OFFICIAL.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<RunwayRequest> inspect(ClientRequest client) {
        ObjectNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes())
                : null;
        if (body == null) {
            throw BadField.of("body", "not a JSON object", "Runway's " + endpoint.path + " request, e.g. "
                    + "{\"model\": \"" + RunwayModels.models(endpoint).get(0) + "\", ...}");
        }
        RunwayRequest request = RunwayInput.read(endpoint, body, client.headers()).withFacts(links.facts(client));
        return new Intent<>(request.model(), false, request, request.priceKey());
    }

    @Override
    public long units(Intent<RunwayRequest> intent) {
        return intent.details().seconds();
    }


    @Override
    public UpstreamRequest upstreamRequest(Intent<RunwayRequest> intent, Channel channel, ClientRequest client) {
        RunwayRequest request = intent.details();
        ObjectNode body = request.body().deepCopy();
        body.put("model", channel.upstreamModel(request.model()));
        return official(channel, request.endpoint(), body, request.version());
    }

    /** A create on Runway's own API. */
    static UpstreamRequest official(Channel channel, RunwayEndpoint endpoint, ObjectNode body, String version) {
        HeaderList headers = new HeaderList()
                .set(RunwayFamily.OFFICIAL.auth().name(), RunwayFamily.OFFICIAL.auth().value(channel))
                .set(RunwayInput.VERSION_HEADER, version)
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(channel.url("/v1/" + endpoint.path), headers,
                new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<RunwayRequest> intent, Channel channel, int status, byte[] body) {
        return RunwayReplies.official(status, body, RunwaySubmit::refusal);
    }

    /** Runway's refusal as Runway words it: its {@code error} and {@code issues}, nothing else of its answer. */
    static byte[] refusal(String message, JsonNode issues) {
        ObjectNode root = Json.object();
        root.put("error", message);
        if (issues != null) {
            root.set("issues", issues);
        }
        return Json.bytes(root);
    }

    @Override
    public TaskDraft draft(Intent<RunwayRequest> intent, SubmitReply.Accepted accepted) {
        RunwayRequest request = intent.details();
        ObjectNode facts = request.facts().deepCopy();
        facts.put("model", request.model());
        facts.put("seconds", request.seconds());
        facts.put("version", request.version());
        return new TaskDraft(request.endpoint().path, RunwayTasks.OFFICIAL_MODE, Json.MAPPER.writeValueAsString(facts),
                null);
    }

    @Override
    public byte[] answer(Intent<RunwayRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        ObjectNode root = Json.object();
        root.put("id", task.publicId());
        return Json.bytes(root);
    }
}

package dev.antler.runway;

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
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.PricedPerSecond;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /runway/pro/{generate|video2video|act_one}} in DeerAPI's reverse format. Two kinds of channel take it:
 * a {@code runway-compat} channel (another relay speaking the same format) gets the client's body as sent, its
 * {@code callback_url} kept by the gateway; a {@code runway} channel gets a generate translated to Runway's own API
 * ({@link CompatTranslation}) — only when it translates for the model that channel calls it, so video2video, act_one
 * and {@code gen4} go to reverse-format channels alone. Priced per second of video at {@code runway/<model>}
 * ({@code runway/act_one}): held for {@code options.seconds} (or {@link CompatAction#inputHold} when the video is as
 * long as its input), settled on the seconds made. Answered in DeerAPI's envelope with the gateway's task id; the
 * client's {@code callback_url} receives the {@code data} object once the task is finished.
 */
final class CompatSubmit implements PricedPerSecond<CompatRequest> {

    private final CompatAction action;
    private final LinkFacts links;
    private final Links shown;

    CompatSubmit(CompatAction action, LinkFacts links, Links shown) {
        this.action = requireNonNull(action, "action");
        this.links = requireNonNull(links, "links");
        this.shown = requireNonNull(shown, "shown");
    }

    @Override
    public String name() {
        return "runway.pro." + action.path;
    }

    @Override
    public String family(Intent<CompatRequest> intent) {
        return RunwayTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(RunwayFamily.COMPAT.name(), RunwayFamily.OFFICIAL.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<CompatRequest> inspect(ClientRequest client) {
        ObjectNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes())
                : null;
        if (body == null) {
            throw BadField.of("body", "not a JSON object", "a JSON object such as {\"prompt\": \"...\", \"model\": "
                    + "\"" + action.models.get(0) + "\"}");
        }
        CompatRequest request = CompatInput.read(action, body, client.headers()).withFacts(links.facts(client));
        return new Intent<>(request.model(), false, request, request.priceKey());
    }

    /** The channels serving the model, a {@code runway} one only where the request translates for it. */
    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<CompatRequest> intent) {
        List<List<Channel>> tiers = new ArrayList<>();
        for (List<Channel> tier : PricedPerSecond.super.tiers(registry, group, intent)) {
            List<Channel> usable = tier.stream().filter(c -> !official(c)
                    || CompatTranslation.of(intent.details(), c.upstreamModel(intent.model())) != null).toList();
            if (!usable.isEmpty()) {
                tiers.add(usable);
            }
        }
        return tiers;
    }

    @Override
    public long units(Intent<CompatRequest> intent) {
        return intent.details().seconds();
    }


    @Override
    public UpstreamRequest upstreamRequest(Intent<CompatRequest> intent, Channel channel, ClientRequest client) {
        CompatRequest request = intent.details();
        String model = channel.upstreamModel(request.model());
        if (official(channel)) {
            CompatTranslation.Official translated = CompatTranslation.of(request, model);
            if (translated == null) { // tiers() left such channels out
                throw new GatewayException(502, ErrorKind.UPSTREAM, "not_translatable", "channel " + channel.name()
                        + " (expected: a reverse-format channel for this request)");
            }
            return RunwaySubmit.official(channel, translated.endpoint(), translated.body(),
                    request.version() == null ? RunwayInput.DEFAULT_VERSION : request.version());
        }
        ObjectNode body = request.body().deepCopy();
        if (body.has("model")) {
            body.put("model", model);
        }
        HeaderList headers = new HeaderList()
                .set(RunwayFamily.COMPAT.auth().name(), RunwayFamily.COMPAT.auth().value(channel))
                .set("Content-Type", "application/json");
        if (request.version() != null) {
            headers.set(RunwayInput.VERSION_HEADER, request.version());
        }
        return UpstreamRequest.post(channel.url("/runway/pro/" + action.path), headers,
                new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<CompatRequest> intent, Channel channel, int status, byte[] body) {
        return official(channel) ? RunwayReplies.official(status, body, CompatSubmit::refusal)
                : RunwayReplies.compat(status, body, CompatSubmit::refusal);
    }

    /** An upstream's refusal in the reverse format's envelope, its message only. */
    static byte[] refusal(String message, JsonNode issues) {
        ObjectNode root = Json.object();
        root.put("code", 400);
        root.put("msg", message + (issues == null || issues.isEmpty() ? ""
                : " " + issues.path(0).path("path").toString() + ": " + issues.path(0).path("message").asString("")));
        root.putNull("data");
        root.put("exec_time", 0);
        return Json.bytes(root);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<CompatRequest> intent) {
        return intent.details().callback();
    }

    @Override
    public TaskDraft draft(Intent<CompatRequest> intent, SubmitReply.Accepted accepted) {
        CompatRequest request = intent.details();
        ObjectNode facts = request.facts().deepCopy();
        facts.put("model", request.model());
        facts.put("seconds", request.seconds());
        facts.put("prompt", request.prompt());
        facts.put("version", request.version() == null ? RunwayInput.DEFAULT_VERSION : request.version());
        return new TaskDraft(action.path, RunwayTasks.COMPAT_MODE, Json.MAPPER.writeValueAsString(facts),
                request.callback());
    }

    @Override
    public byte[] answer(Intent<CompatRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        return Json.bytes(CompatView.envelope(CompatView.data(task, shown), 0));
    }

    private static boolean official(Channel channel) {
        return RunwayFamily.OFFICIAL.name().equals(channel.type());
    }
}

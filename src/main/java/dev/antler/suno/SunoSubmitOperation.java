package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskSubmit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A paid Suno call on the relay chain: the task submits ({@code /suno/submit/{music,lyrics,concat}},
 * {@code /suno/uploads/audio-url}), answered with the gateway's task id, and DeerAPI's extras (persona, style tags,
 * vox, stems, wav, mp4, timing), answered at once without the upstream account's fields. Each is priced per call
 * by its model ({@link SunoSubmit#priceKeys()}: a song by its {@code mv}, then {@code suno_music}).
 *
 * <p>A continuation ({@code task_id}, with {@code continue_clip_id}) names one of the caller's own Suno tasks (404
 * otherwise): it goes to that task's channel, whose upstream alone has the clip, with that task's upstream id in
 * {@code task_id}.
 */
final class SunoSubmitOperation implements TaskSubmit<SunoSubmitOperation.Call> {

    /** A validated call, and the caller's task it continues (null when none, or not resolved yet). */
    record Call(SunoSubmit submit, Task origin) {}

    static final Set<String> CHANNEL_TYPES = Set.of(SunoFamily.CHANNEL_TYPE.name());

    private final BodyKind bodyKind;

    /** @param bodyKind {@link BodyKind#JSON} for the POST routes, {@link BodyKind#NONE} for the GET extras */
    SunoSubmitOperation(BodyKind bodyKind) {
        this.bodyKind = bodyKind;
    }

    @Override
    public String name() {
        return "suno.submit";
    }

    @Override
    public String family(Intent<SunoSubmitOperation.Call> intent) {
        return SunoTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return CHANNEL_TYPES;
    }

    @Override
    public BodyKind bodyKind() {
        return bodyKind;
    }

    @Override
    public Intent<Call> inspect(ClientRequest client) {
        SunoSubmit submit = SunoSubmit.of(client.method(), client.path(), object(client.body()));
        return new Intent<>(submit.model(), false, new Call(submit, null));
    }

    @Override
    public Intent<Call> resolve(Intent<Call> intent, OwnTasks own) {
        SunoSubmit submit = intent.details().submit();
        if (submit.originTaskId() == null) {
            return intent;
        }
        Task origin = own.find(SunoSubmit.TASK_ID_FIELD, submit.originTaskId());
        return new Intent<>(intent.model(), false, new Call(submit, origin), intent.priceKey());
    }

    @Override
    public Long pinnedChannel(Intent<Call> intent) {
        Task origin = intent.details().origin();
        return origin == null ? null : origin.channelId();
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<Call> intent) {
        return tiers(registry, group, channelTypes(), priceKeys(intent));
    }

    /**
     * The channels serving the first of {@code models} that any channel serves: a channel's {@code models} may name
     * a song's {@code mv} or the family's fallback model ({@code suno_music}), as prices do.
     */
    static List<List<Channel>> tiers(ChannelRegistry registry, String group, Set<String> types, List<String> models) {
        for (String model : models) {
            List<List<Channel>> tiers = registry.tiers(group, model, types);
            if (!tiers.isEmpty()) {
                return tiers;
            }
        }
        return List.of();
    }

    @Override
    public List<String> priceKeys(Intent<Call> intent) {
        return intent.details().submit().priceKeys();
    }

    @Override
    public String endpoint(Intent<Call> intent) {
        return "suno." + intent.details().submit().action().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Call> intent, Channel channel, ClientRequest client) {
        SunoSubmit submit = intent.details().submit();
        Task origin = intent.details().origin();
        ObjectNode body = origin != null ? submit.upstreamBody(origin.upstreamId()) : submit.upstreamBody();
        if (body != null && submit.action() == SunoAction.MUSIC && submit.model().equals(body.path("mv").asString())) {
            body = body.deepCopy().put("mv", channel.upstreamModel(submit.model())); // the channel's model mapping
        }
        HeaderList headers = new HeaderList()
                .set(SunoFamily.CHANNEL_TYPE.auth().name(), SunoFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Accept", "application/json");
        if (body == null) {
            return new UpstreamRequest(submit.action().method(), channel.url(submit.upstreamPath()), headers,
                    new UpstreamRequest.Empty());
        }
        headers.set("Content-Type", "application/json");
        return new UpstreamRequest(submit.action().method(), channel.url(submit.upstreamPath()), headers,
                new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<Call> intent, Channel channel, int status, byte[] body) {
        return intent.details().submit().createsTask() ? SunoSubmitReply.task(channel, status, body)
                : SunoSubmitReply.extra(channel, status, body);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<Call> intent) {
        return intent.details().submit().notifyHook();
    }

    @Override
    public TaskDraft draft(Intent<Call> intent, SubmitReply.Accepted accepted) {
        SunoSubmit submit = intent.details().submit();
        ObjectNode facts = Json.object().put("model", submit.model());
        if (submit.originTaskId() != null) {
            facts.put(SunoSubmit.TASK_ID_FIELD, submit.originTaskId()); // the gateway's id of the origin
        }
        return new TaskDraft(submit.taskAction(), null, Json.MAPPER.writeValueAsString(facts), submit.notifyHook());
    }

    @Override
    public byte[] answer(Intent<Call> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        return SunoSubmitReply.answer(task.publicId());
    }

    /** The body as a JSON object (400 {@code invalid_json} when it is not one); null when there is none. */
    static ObjectNode object(RequestBody body) {
        return body instanceof RequestBody.InMemory memory && memory.bytes().length > 0
                ? SunoSubmit.parse(memory.bytes()) : null;
    }
}

package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskSubmit;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Udio song, {@code POST /udio/submit/music}, on the relay chain: priced per call by its {@code model_type}
 * (then {@code udio_music}), answered with the gateway's task id; refusals in the protocol's shape, uncharged.
 */
final class UdioSubmitOperation implements TaskSubmit<UdioSubmit> {

    static final Set<String> CHANNEL_TYPES = Set.of(UdioFamily.CHANNEL_TYPE.name());

    @Override
    public String name() {
        return "udio.submit";
    }

    @Override
    public String family(Intent<UdioSubmit> intent) {
        return UdioTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return CHANNEL_TYPES;
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<UdioSubmit> inspect(ClientRequest client) {
        UdioSubmit submit = UdioSubmit.of(client.path(), SunoSubmitOperation.object(client.body()));
        return new Intent<>(submit.model(), false, submit);
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<UdioSubmit> intent) {
        return SunoSubmitOperation.tiers(registry, group, channelTypes(), priceKeys(intent));
    }

    @Override
    public List<String> priceKeys(Intent<UdioSubmit> intent) {
        return intent.details().priceKeys();
    }

    @Override
    public String endpoint(Intent<UdioSubmit> intent) {
        return "udio.music";
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<UdioSubmit> intent, Channel channel, ClientRequest client) {
        UdioSubmit submit = intent.details();
        ObjectNode body = submit.upstreamBody().deepCopy();
        ((ObjectNode) body.get("gen_params")).put("model_type", channel.upstreamModel(submit.model()));
        HeaderList headers = new HeaderList()
                .set(UdioFamily.CHANNEL_TYPE.auth().name(), UdioFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Accept", "application/json")
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(channel.url(submit.upstreamPath()), headers,
                new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<UdioSubmit> intent, Channel channel, int status, byte[] body) {
        return SunoSubmitReply.task(channel, status, body);
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<UdioSubmit> intent) {
        return intent.details().notifyHook();
    }

    @Override
    public TaskDraft draft(Intent<UdioSubmit> intent, SubmitReply.Accepted accepted) {
        UdioSubmit submit = intent.details();
        String facts = Json.MAPPER.writeValueAsString(Json.object().put("model", submit.model()));
        return new TaskDraft(submit.taskAction(), null, facts, submit.notifyHook());
    }

    @Override
    public byte[] answer(Intent<UdioSubmit> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        return SunoSubmitReply.answer(task.publicId());
    }
}

package dev.antler.clips;

import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskSubmit;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /clips/v1/videos {"model": "clip-1", "seconds": 10}}: held and charged for the seconds asked at the
 * model's price per second; the upstream is sent {@code {"seconds": 10}} and answers {@code {"id": "..."}}, or
 * {@code {"id": "...", "seconds": 8}} when it will make fewer than asked (then those are charged).
 */
final class ClipsSubmit implements TaskSubmit<Integer> {

    static final int MAX_SECONDS = 60;

    @Override
    public String name() {
        return "clips.submit";
    }

    @Override
    public String family(Intent<Integer> intent) {
        return ClipsFamily.NAME;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(ClipsFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<Integer> inspect(ClientRequest client) {
        JsonNode body = client.body() instanceof RequestBody.InMemory memory ? parse(memory.bytes()) : null;
        if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: "
                    + "{\"model\": \"clip-1\", \"seconds\": 10})");
        }
        String model = body.path("model").asString("");
        int seconds = body.path("seconds").asInt(0);
        if (model.isBlank() || seconds < 1 || seconds > MAX_SECONDS) {
            throw GatewayException.badRequest("invalid_request", "model: " + model + ", seconds: "
                    + body.path("seconds") + " (expected: a model and 1 to " + MAX_SECONDS + " seconds)");
        }
        return new Intent<>(model, false, seconds);
    }

    @Override
    public long units(Intent<Integer> intent) {
        return intent.details();
    }

    @Override
    public Long unitPrice(Price price) {
        return price.perSecond();
    }

    @Override
    public Usage usage(long units) {
        return new Usage(0, 0, 0, 0, 0, units);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Integer> intent, Channel channel, ClientRequest client) {
        ObjectNode body = Json.object();
        body.put("seconds", intent.details());
        HeaderList headers = new HeaderList()
                .set(ClipsFamily.CHANNEL_TYPE.auth().name(), ClipsFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(channel.url("/v"), headers, new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<Integer> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = status == 200 ? parse(body) : null;
        String id = answer == null ? "" : answer.path("id").asString("");
        if (id.isBlank()) {
            return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                    "upstream_error", "upstream: HTTP " + status + " (expected: 200 with the clip's id)"),
                    SubmitReply.Failed.retryable(status));
        }
        // The upstream may say it makes fewer seconds than asked (its own cap): the charge is set on those.
        Long seconds = answer.path("seconds").isIntegralNumber() ? answer.path("seconds").asLong() : null;
        return new SubmitReply.Accepted(id, TaskStatus.QUEUED, seconds, body);
    }

    @Override
    public TaskDraft draft(Intent<Integer> intent, SubmitReply.Accepted accepted) {
        return new TaskDraft("VIDEO", null, "{\"seconds\":" + intent.details() + "}", null);
    }

    @Override
    public byte[] answer(Intent<Integer> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        return ClipsTasks.render(task, intent.details());
    }

    static JsonNode parse(byte[] bytes) {
        return Json.objectOrNull(bytes);
    }
}

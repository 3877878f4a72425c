package dev.antler.pika;

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
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /pika/generate}, sent as it is (checked, the hook taken out) to {@code POST {base}/pika/generate} on
 * a {@code pika} channel with its key as a Bearer token, and answered {@code {"id": "<the gateway's task id>"}}.
 * Priced per call at {@code pika/<model>}; routed by the model as {@code pika-<model>}.
 */
final class PikaSubmit implements TaskSubmit<PikaRequest> {

    static final String PATH = "/pika/generate";

    private final String publicBaseUrl;

    /** @param publicBaseUrl the gateway's public base URL for result links; null: each request's host */
    PikaSubmit(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String name() {
        return "pika.generate";
    }

    @Override
    public String family(Intent<PikaRequest> intent) {
        return PikaTasks.FAMILY;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(PikaFamily.CHANNEL_TYPE.name());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<PikaRequest> inspect(ClientRequest client) {
        JsonNode body = client.body() instanceof RequestBody.InMemory memory ? Json.objectOrNull(memory.bytes()) : null;
        if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: Pika's generate "
                    + "request, e.g. {\"promptText\": \"...\", \"model\": \"1.5\"})");
        }
        PikaRequest request = PikaInput.read((ObjectNode) body)
                .withLinks(ResultLinks.addFacts(Json.object(), publicBaseUrl, client));
        return new Intent<>(request.gatewayModel(), false, request, PikaPrices.key(request.model()));
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<PikaRequest> intent, Channel channel, ClientRequest client) {
        ObjectNode body = intent.details().upstream().deepCopy();
        String mapped = channel.upstreamModel(intent.model());
        body.put("model", mapped.startsWith(PikaInput.GATEWAY_PREFIX)
                ? mapped.substring(PikaInput.GATEWAY_PREFIX.length()) : mapped);
        HeaderList headers = new HeaderList()
                .set(PikaFamily.CHANNEL_TYPE.auth().name(), PikaFamily.CHANNEL_TYPE.auth().value(channel))
                .set("Content-Type", "application/json");
        return UpstreamRequest.post(channel.url(PATH), headers, new UpstreamRequest.Bytes(Json.bytes(body)));
    }

    @Override
    public SubmitReply read(Intent<PikaRequest> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = Json.objectOrNull(body);
        String id = answer == null ? "" : answer.path("id").asString("");
        if (status / 100 == 2 && !id.isBlank()) {
            return SubmitReply.Accepted.of(id, TaskStatus.QUEUED, body);
        }
        if (status == 400 && answer != null) {
            // The relay refused the input (a check the gateway does not make): its words, uncharged.
            String why = message(answer);
            return new SubmitReply.Refused(400, PikaFamily.refusal("upstream: " + why), "upstream refused: " + why);
        }
        boolean elsewhere = SubmitReply.Failed.retryable(status) || status == 401 || status == 403;
        return new SubmitReply.Failed(new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM,
                "upstream_error", "upstream: HTTP " + status + " (expected: 200 with a task id)"), elsewhere);
    }

    /** The relay's error message: OpenAI's {@code error.message}, or a top-level {@code message} or {@code detail}. */
    private static String message(JsonNode answer) {
        for (JsonNode candidate : new JsonNode[] {answer.path("error").path("message"), answer.path("message"),
                answer.path("detail"), answer.path("error")}) {
            if (candidate.isString() && !candidate.asString().isBlank()) {
                return candidate.asString();
            }
        }
        return "the request was refused";
    }

    /** The client's webhook, checked by the chain before the hold (a public host). */
    @Override
    public String webhook(Intent<PikaRequest> intent) {
        return intent.details().hook();
    }

    @Override
    public TaskDraft draft(Intent<PikaRequest> intent, SubmitReply.Accepted accepted) {
        PikaRequest request = intent.details();
        ObjectNode facts = request.links() == null ? Json.object() : request.links().deepCopy();
        facts.put("model", request.model());
        facts.put("promptText", request.prompt());
        return new TaskDraft("generate", null, Json.MAPPER.writeValueAsString(facts), request.hook());
    }

    @Override
    public byte[] answer(Intent<PikaRequest> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        return Json.bytes(Json.object().put("id", task.publicId()));
    }
}

package dev.antler.videos;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.multipart.Part;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.PricedPerSecond;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/videos} (JSON or multipart, one instance each) and {@code POST /v1/videos/{id}/remix}: a paid
 * submit routed by model to the {@code openai} channels serving it (a remix pinned to its source's channel, priced
 * like its source), held and charged per second at the model's (and size's) price, settled at completion on the
 * seconds the finished video reports. The client's body is passed through as sent (the model renamed when the
 * channel maps it); a multipart form is sent from its spool file.
 */
final class VideoSubmit implements PricedPerSecond<VideoRequest> {

    enum Kind {
        JSON, MULTIPART, REMIX, REMIX_FORM;

        boolean form() {
            return this == MULTIPART || this == REMIX_FORM;
        }

        boolean remix() {
            return this == REMIX || this == REMIX_FORM;
        }
    }

    static final String CHANNEL_TYPE = "openai";
    private static final String REMIX_SUFFIX = "/remix";

    private final Kind kind;

    VideoSubmit(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.remix() ? "videos.remix" : "videos.create";
    }

    @Override
    public String family(Intent<VideoRequest> intent) {
        return VideosFamily.NAME;
    }

    @Override
    public Set<String> channelTypes() {
        return Set.of(CHANNEL_TYPE);
    }

    @Override
    public BodyKind bodyKind() {
        return kind.form() ? BodyKind.MULTIPART : BodyKind.JSON;
    }

    @Override
    public Intent<VideoRequest> inspect(ClientRequest client) {
        Map<String, String> fields;
        if (kind.form()) {
            fields = ((RequestBody.Spooled) client.body()).scanner().textFields();
        } else {
            fields = jsonFields(client.body());
        }
        String prompt = fields.get("prompt");
        if (prompt == null || prompt.isBlank()) {
            throw GatewayException.badRequest("missing_prompt", "prompt: missing (expected: a description of the video)");
        }
        if (kind.remix()) {
            String path = client.path();
            String id = path.substring(VideosFamily.BASE.length(), path.length() - REMIX_SUFFIX.length());
            // The model, seconds and size are the source's: resolve() reads them from it.
            return new Intent<>(VideoModels.DEFAULT_MODEL, false,
                    new VideoRequest(prompt, null, 0, null, false, client.body(), id, null, null));
        }
        String model = fields.getOrDefault("model", VideoModels.DEFAULT_MODEL);
        if (model.isBlank()) {
            model = VideoModels.DEFAULT_MODEL;
        }
        String seconds = fields.get("seconds");
        long units = VideoModels.seconds(model, seconds);
        String size = VideoModels.size(model, fields.get("size"));
        return new Intent<>(model, false, new VideoRequest(prompt, seconds, units, size, fields.get("size") != null,
                client.body(), null, null, null));
    }

    /** The JSON body's scalar fields as text ({@code "seconds": 8} and {@code "8"} alike). */
    private static Map<String, String> jsonFields(RequestBody body) {
        JsonNode json = body instanceof RequestBody.InMemory memory ? VideoJson.parse(memory.bytes()) : null;
        if (json == null) {
            throw GatewayException.badRequest("invalid_json", "body: not a JSON object (expected: {\"model\": "
                    + "\"sora-2\", \"prompt\": \"...\"}, or a multipart form)");
        }
        Map<String, String> fields = new java.util.HashMap<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                fields.put(field.getKey(), field.getValue().asString());
            }
        }
        return fields;
    }

    @Override
    public Intent<VideoRequest> resolve(Intent<VideoRequest> intent, OwnTasks own) {
        VideoRequest asked = intent.details();
        if (!asked.remix()) {
            return intent;
        }
        Task source = own.find("video_id", asked.remixOf());
        if (source.status() != TaskStatus.SUCCESS) {
            throw GatewayException.badRequest("video_not_ready", "video_id: " + asked.remixOf() + " is "
                    + VideoView.status(source.status()) + " (expected: a completed video to remix)");
        }
        JsonNode facts = VideoJson.parse(source.request().getBytes(StandardCharsets.UTF_8));
        String model = facts.path("model").asString();
        String size = facts.path("size").isString() ? facts.path("size").asString() : null;
        VideoRequest remix = new VideoRequest(asked.prompt(), null, source.charge().units(), size, false,
                asked.body(), source.publicId(), source.channelId(), source.upstreamId());
        return new Intent<>(model, false, remix);
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<VideoRequest> intent) {
        List<List<Channel>> tiers = PricedPerSecond.super.tiers(registry, group, intent);
        String base = VideoModels.base(intent.model());
        if (tiers.isEmpty() && !base.equals(intent.model())) {
            // A dated snapshot goes to the channels serving its model when none lists the snapshot itself.
            tiers = registry.route(group, base, channelTypes(), Set.of()).tiers();
        }
        if (tiers.isEmpty()) {
            throw GatewayException.notFound("model_not_found", "model: " + intent.model()
                    + " (expected: a video model served to this key's group, e.g. sora-2; GET /v1/models lists them)");
        }
        return tiers;
    }

    @Override
    public Long pinnedChannel(Intent<VideoRequest> intent) {
        return intent.details().sourceChannel();
    }

    @Override
    public List<String> priceKeys(Intent<VideoRequest> intent) {
        return VideoModels.priceKeys(intent.model(), intent.details().size());
    }

    @Override
    public long units(Intent<VideoRequest> intent) {
        return intent.details().units();
    }


    @Override
    public UpstreamRequest upstreamRequest(Intent<VideoRequest> intent, Channel channel, ClientRequest client) {
        VideoRequest video = intent.details();
        HeaderList headers = new HeaderList().set(VideosFamily.AUTH.name(), VideosFamily.AUTH.value(channel));
        if (video.remix()) {
            ObjectNode body = Json.object();
            body.put("prompt", video.prompt());
            headers.set("Content-Type", "application/json");
            return UpstreamRequest.post(channel.url("/v1/videos/" + video.sourceUpstream() + REMIX_SUFFIX), headers,
                    new UpstreamRequest.Bytes(Json.bytes(body)));
        }
        String upstreamModel = channel.upstreamModel(intent.model());
        if (video.body() instanceof RequestBody.Spooled spooled) {
            headers.set("Content-Type", spooled.contentType());
            Optional<Part> modelPart = spooled.scanner().firstPart("model");
            List<UpstreamRequest.Piece> pieces = modelPart.isPresent() && !upstreamModel.equals(intent.model())
                    ? List.of(new UpstreamRequest.FileRange(0, modelPart.get().valueStart()),
                    new UpstreamRequest.Literal(upstreamModel.getBytes(StandardCharsets.UTF_8)),
                    new UpstreamRequest.FileRange(modelPart.get().valueEnd(), spooled.length()))
                    : List.of(new UpstreamRequest.FileRange(0, spooled.length()));
            return UpstreamRequest.post(channel.url("/v1/videos"), headers,
                    new UpstreamRequest.FilePieces(spooled.file(), pieces));
        }
        byte[] bytes = ((RequestBody.InMemory) video.body()).bytes();
        if (!upstreamModel.equals(intent.model())) {
            ObjectNode json = (ObjectNode) VideoJson.parse(bytes);
            json.put("model", upstreamModel);
            bytes = Json.bytes(json);
        }
        headers.set("Content-Type", "application/json");
        return UpstreamRequest.post(channel.url("/v1/videos"), headers, new UpstreamRequest.Bytes(bytes));
    }

    @Override
    public SubmitReply read(Intent<VideoRequest> intent, Channel channel, int status, byte[] body) {
        JsonNode answer = status / 100 == 2 ? VideoJson.parse(body) : null;
        String id = answer == null ? "" : answer.path("id").asString("");
        if (id.isBlank()) {
            return new SubmitReply.Failed(VideoJson.upstreamError(status, body), SubmitReply.Failed.retryable(status));
        }
        TaskStatus initial = VideoView.internal(answer.path("status").asString("queued"));
        if (initial == null || initial.terminal()) {
            initial = TaskStatus.QUEUED; // a finished video is read by the first poll, which settles it
        }
        return new SubmitReply.Accepted(id, initial, VideoJson.seconds(answer), body);
    }

    @Override
    public TaskDraft draft(Intent<VideoRequest> intent, SubmitReply.Accepted accepted) {
        VideoRequest video = intent.details();
        ObjectNode facts = Json.object();
        facts.put("model", intent.model());
        facts.put("prompt", video.prompt());
        facts.put("seconds", accepted.units() != null ? accepted.units() : video.units());
        if (video.size() != null) {
            facts.put("size", video.size());
        }
        if (video.remix()) {
            facts.put("remixed_from", video.remixOf());
        }
        return new TaskDraft(video.remix() ? "REMIX" : "VIDEO", null, Json.MAPPER.writeValueAsString(facts), null);
    }

    @Override
    public byte[] answer(Intent<VideoRequest> intent, Task task, SubmitReply.Accepted accepted,
                         String requestId) {
        return Json.bytes(VideoView.of(task));
    }

    @Override
    public String newPublicId(long now) {
        return "video_" + dev.antler.tasks.TaskIds.next().substring("task_".length());
    }
}

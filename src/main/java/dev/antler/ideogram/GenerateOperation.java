package dev.antler.ideogram;

import dev.antler.core.GatewayException;
import dev.antler.files.FileMirror;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Legacy {@code POST /generate}: a JSON body {@code {"image_request": {...}}}. Forwarded as the client
 * sent it, unless "not given" fields were removed or the channel maps the model.
 */
final class GenerateOperation extends IdeogramOperation<GenerateOperation.Generate> {

    /** The body as sent, its tree, and the checked {@code image_request}. */
    record Generate(byte[] original, ObjectNode root, ImageRequests.Checked checked) {}

    GenerateOperation(FileMirror mirror) {
        super(IdeogramEndpoint.GENERATE.operationName(), true, mirror);
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    Intent<Generate> read(ClientRequest request) {
        byte[] bytes = ((RequestBody.InMemory) request.body()).bytes();
        if (bytes.length == 0) {
            throw Checks.missing("request body", "{\"image_request\": {\"prompt\": \"...\"}}");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw GatewayException.badRequest("invalid_json", "request body: not valid JSON (expected: "
                    + "{\"image_request\": {\"prompt\": \"...\"}})");
        }
        if (!root.isObject()) {
            throw ImageRequests.notAnObject();
        }
        ImageRequests.Checked checked = ImageRequests.check(IdeogramEndpoint.GENERATE,
                ImageRequests.object(root.get("image_request")));
        return new Intent<>(checked.model(), false, new Generate(bytes, (ObjectNode) root, checked),
                IdeogramPrices.legacy(IdeogramEndpoint.GENERATE, checked.model()));
    }

    @Override
    long requestedImages(Generate request) {
        return request.checked().count();
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Call<Generate>> intent, Channel channel, ClientRequest client) {
        Generate call = intent.details().request();
        String upstreamModel = channel.upstreamModel(intent.model());
        boolean mapped = !upstreamModel.equals(intent.model());
        byte[] body = call.original();
        if (call.checked().cleaned() || mapped) {
            ObjectNode request = call.checked().request().deepCopy();
            if (mapped) {
                request.put("model", upstreamModel);
            }
            ObjectNode root = call.root().deepCopy();
            root.set("image_request", request);
            body = Json.bytes(root);
        }
        return UpstreamRequest.post(IdeogramUpstream.url(channel, IdeogramEndpoint.GENERATE.nativePath()),
                IdeogramUpstream.headers(channel, client.headers(), "application/json"),
                new UpstreamRequest.Bytes(body));
    }
}

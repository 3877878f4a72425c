package dev.antler.recraft;

import dev.antler.core.GatewayException;
import dev.antler.files.FileMirror;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Recraft endpoint called with JSON, images given as URLs or data URLs (what Recraft recommends). Forwarded
 * as the client sent it unless {@code model} is added (none given) or mapped by the channel.
 */
final class JsonOperation extends RecraftOperation<JsonFields> {

    JsonOperation(RecraftEndpoint endpoint, FileMirror mirror) {
        super(endpoint, mirror);
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    JsonFields read(ClientRequest request) {
        RequestBody.InMemory body = (RequestBody.InMemory) request.body();
        byte[] bytes = body.bytes();
        if (bytes.length == 0) {
            throw RecraftChecks.missing("request body", "a JSON object, or a multipart form");
        }
        body.reserveTree(); // parsed whole, and copied once when the model is added
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            throw GatewayException.badRequest("invalid_json", "request body: not valid JSON (expected: a JSON object)");
        }
        if (!(root instanceof ObjectNode object)) {
            throw GatewayException.badRequest("invalid_json", "request body: " + root.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT) + " (expected: a JSON object)");
        }
        return new JsonFields(bytes, object);
    }

    @Override
    UpstreamRequest.Body upstreamBody(JsonFields body, String upstreamModel) {
        if (upstreamModel == null) {
            return new UpstreamRequest.Bytes(body.bytes());
        }
        ObjectNode copy = body.root().deepCopy();
        copy.put("model", upstreamModel);
        return new UpstreamRequest.Bytes(Json.bytes(copy));
    }

    @Override
    String contentType(JsonFields body) {
        return "application/json";
    }
}

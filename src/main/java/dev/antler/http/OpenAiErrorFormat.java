package dev.antler.http;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's envelope: {@code {"error":{"message","type","param","code"}}}. Also the gateway's default, for
 * routes of no family (unknown paths, balance, files): it is what most clients parse.
 */
public final class OpenAiErrorFormat implements ErrorFormat {

    public static final OpenAiErrorFormat INSTANCE = new OpenAiErrorFormat();

    @Override
    public Buffer render(GatewayException error, String requestId) {
        return Buffer.buffer(Json.bytes(envelope(error, requestId)));
    }

    @Override
    public Buffer renderStreamEvent(GatewayException error, String requestId) {
        return Buffer.buffer("data: ").appendBytes(Json.bytes(envelope(error, requestId))).appendString("\n\n");
    }

    private static ObjectNode envelope(GatewayException error, String requestId) {
        ObjectNode root = Json.object();
        ObjectNode body = root.putObject("error");
        body.put("message", error.getMessage() + " (request id: " + requestId + ")");
        body.put("type", type(error.kind()));
        body.putNull("param");
        body.put("code", error.code());
        return root;
    }

    /** OpenAI's {@code error.type} for {@code kind}. */
    public static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, NOT_FOUND, TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case INSUFFICIENT_QUOTA -> "insufficient_quota";
            case RATE_LIMIT -> "rate_limit_error";
            case UPSTREAM -> "upstream_error";
            case NO_CHANNEL, SERVER -> "server_error";
        };
    }

    /**
     * An upstream's refusal of a request another family's route relayed (its answer in that family's envelope), in
     * OpenAI's: {@code upstream_refused}, with the upstream's own message where one can be read.
     */
    public static byte[] upstreamRefusal(byte[] familyAnswer) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", "upstream: " + refusalMessage(familyAnswer) + " (expected: a request the provider accepts)");
        error.put("type", "invalid_request_error");
        error.putNull("param");
        error.put("code", "upstream_refused");
        return Json.bytes(root);
    }

    private static String refusalMessage(byte[] answer) {
        tools.jackson.databind.JsonNode root;
        try {
            root = Json.MAPPER.readTree(answer);
        } catch (RuntimeException e) {
            return "refused";
        }
        String message = root.path("error").path("message").asString(root.path("message")
                .asString(root.path("detail").asString("")));
        return message.isBlank() ? "refused" : message;
    }
}

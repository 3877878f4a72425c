package dev.antler.videos;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import tools.jackson.databind.JsonNode;

/** Reading the upstream's JSON: objects, its {@code seconds}, its errors. */
final class VideoJson {

    private VideoJson() {}

    /** The JSON object in {@code bytes}, or null when it is not one. */
    static JsonNode parse(byte[] bytes) {
        return Json.objectOrNull(bytes);
    }

    /** A video object's {@code seconds} ({@code "8"} or {@code 8}), or null when it has none. */
    static Long seconds(JsonNode video) {
        JsonNode seconds = video.path("seconds");
        if (seconds.isIntegralNumber()) {
            return seconds.asLong();
        }
        if (seconds.isString()) {
            try {
                return Math.round(Double.parseDouble(seconds.asString().trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * An upstream's refusal as the client sees it: a client error keeps its status and OpenAI's message (the
     * request was at fault, not the gateway); anything else is a 502 saying only its status.
     */
    static GatewayException upstreamError(int status, byte[] body) {
        if (status == 429) {
            return new GatewayException(429, ErrorKind.RATE_LIMIT, "rate_limit_exceeded",
                    "upstream: busy (HTTP 429; expected: retry shortly)");
        }
        if (status >= 400 && status < 500 && status != 401 && status != 403) {
            JsonNode error = parse(body);
            JsonNode inner = error == null ? null : error.path("error");
            String code = inner == null ? "" : inner.path("code").asString("");
            String message = inner == null ? "" : inner.path("message").asString("");
            return new GatewayException(status, status == 404 ? ErrorKind.NOT_FOUND : ErrorKind.INVALID_REQUEST,
                    code.isBlank() ? "invalid_request" : code,
                    "upstream: " + (message.isBlank() ? "HTTP " + status : message));
        }
        return new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error", "upstream: HTTP " + status
                + " (expected: 200 with a video object)");
    }
}

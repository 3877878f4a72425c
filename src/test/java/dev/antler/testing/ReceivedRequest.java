package dev.antler.testing;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * A request as {@link FakeOpenAi} received it.
 *
 * @param abandoned completes if the connection closed before the answer was complete
 */
public record ReceivedRequest(String method, String path, MultiMap headers, byte[] body,
                              CompletableFuture<Void> abandoned) {

    public String header(String name) {
        return headers.get(name);
    }

    public boolean isMultipart() {
        String type = header("Content-Type");
        return type != null && type.startsWith("multipart/");
    }

    public JsonNode json() {
        return OpenAiShapes.JSON.readTree(body);
    }

    public FormData form() {
        return FormData.parse(body, header("Content-Type"));
    }

    /** The model the request names (JSON field or form field), or "" if none. */
    public String model() {
        if (isMultipart()) {
            return form().part("model").map(FormData.Part::text).orElse("");
        }
        return body.length == 0 ? "" : json().path("model").asString("");
    }

    public boolean includeUsage() {
        return json().path("stream_options").path("include_usage").asBoolean(false);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + path + " (" + body.length + " bytes)";
    }
}

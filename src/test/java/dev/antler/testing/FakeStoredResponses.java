package dev.antler.testing;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Responses API's stored responses as {@link FakeOpenAi} keeps them: each {@code POST /v1/responses} gets an id
 * of its own ({@code resp_} and 48 hex digits), and {@code GET} (also {@code ?stream=true}), {@code DELETE},
 * {@code POST .../cancel} and {@code GET .../input_items} answer in OpenAI's documented shapes (an unknown id: 404
 * {@code Response with id '…' not found.}; cancelling a response not created with {@code background: true}: 400).
 */
final class FakeStoredResponses {

    private record Stored(String model, FakeReply reply, String input, boolean background, String status) {
        Stored withStatus(String status) {
            return new Stored(model, reply, input, background, status);
        }
    }

    private static final AtomicLong IDS = new AtomicLong(0x67ccd2bed1ecL << 16);
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();

    /** A new response's id, kept with what {@code request} asked; background ones start queued. */
    String create(ReceivedRequest request, String model, FakeReply reply) {
        String id = "resp_%048x".formatted(IDS.incrementAndGet());
        JsonNode json = request.json();
        boolean background = json.path("background").asBoolean(false);
        stored.put(id, new Stored(model, reply, json.path("input").asString(""), background,
                background ? "queued" : "completed"));
        return id;
    }

    /** The answer of a background create: the response, queued. */
    ObjectNode queued(String id) {
        Stored s = stored.get(id);
        return OpenAiShapes.response(id, s.model(), s.reply(), "queued");
    }

    /** Answers a call on {@code /v1/responses/{id}[/cancel|/input_items]}. */
    void answer(HttpServerRequest request, HttpServerResponse response, FakeOpenAi.Streamer streamer) {
        String rest = request.path().substring("/v1/responses/".length());
        String[] parts = rest.split("/", 2);
        String id = parts[0];
        String action = request.method().name() + (parts.length > 1 ? " " + parts[1] : "");
        Stored s = stored.get(id);
        if (s == null) {
            error(response, 404, "Response with id '" + id + "' not found.");
            return;
        }
        switch (action) {
            case "GET" -> {
                if ("true".equals(request.getParam("stream"))) {
                    streamer.stream(request, OpenAiShapes.responseEvents(id, s.model(), s.reply()), s.reply());
                } else {
                    json(response, 200, OpenAiShapes.response(id, s.model(), s.reply(), s.status()));
                }
            }
            case "DELETE" -> {
                stored.remove(id);
                ObjectNode deleted = OpenAiShapes.JSON.createObjectNode();
                deleted.put("id", id).put("object", "response.deleted").put("deleted", true);
                json(response, 200, deleted);
            }
            case "POST cancel" -> {
                if (!s.background()) {
                    error(response, 400, "Only responses created with background=true can be cancelled.");
                    return;
                }
                stored.put(id, s.withStatus("cancelled"));
                json(response, 200, OpenAiShapes.response(id, s.model(), s.reply(), "cancelled"));
            }
            case "GET input_items" -> json(response, 200, inputItems(id, s));
            default -> error(response, 404, "Invalid URL (" + request.method() + " " + request.path() + ")");
        }
    }

    private static ObjectNode inputItems(String id, Stored s) {
        String itemId = "msg_" + id.substring("resp_".length());
        ObjectNode list = OpenAiShapes.JSON.createObjectNode();
        list.put("object", "list");
        ObjectNode item = list.putArray("data").addObject();
        item.put("id", itemId).put("type", "message").put("role", "user").put("status", "completed");
        item.putArray("content").addObject().put("type", "input_text").put("text", s.input());
        list.put("first_id", itemId).put("last_id", itemId).put("has_more", false);
        return list;
    }

    private static void error(HttpServerResponse response, int status, String message) {
        ObjectNode body = OpenAiShapes.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", "invalid_request_error").putNull("param");
        error.putNull("code");
        json(response, status, body);
    }

    private static void json(HttpServerResponse response, int status, ObjectNode body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}

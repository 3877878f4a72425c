package dev.antler.testing;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A fake Anthropic upstream on a real socket, speaking the Messages API's documented wire format
 * ({@link AnthropicShapes}): {@code POST /v1/messages} (a message, or with {@code "stream":true} the
 * event sequence message_start, content_block_start/delta/stop, message_delta, message_stop) and
 * {@code POST /v1/messages/count_tokens}. Like the real API it refuses, with a 400 in Anthropic's
 * envelope, a request without {@code x-api-key} or {@code anthropic-version}, without
 * {@code max_tokens}, whose roles do not alternate from {@code user}, or whose {@code tool_result}
 * answers no {@code tool_use} of the turn before. Answers each request with the next scripted
 * {@link AnthropicReply}, else the default one.
 */
public final class FakeAnthropic extends ScriptedUpstream<AnthropicReply, FakeAnthropic> {

    private volatile long delayMs;

    private FakeAnthropic() {
        super(AnthropicReply::ok);
    }

    /** Answers every request {@code ms} late (until {@link #reset}), e.g. to keep many in flight at once. */
    public FakeAnthropic delayAll(long ms) {
        delayMs = ms;
        return this;
    }

    @Override
    public void reset() {
        super.reset();
        delayMs = 0;
    }

    public static FakeAnthropic start() {
        return new FakeAnthropic().listen();
    }

    @Override
    protected FakeAnthropic self() {
        return this;
    }

    @Override
    protected void answer(HttpServerRequest request, ReceivedRequest r, AnthropicReply reply) {
        if (delayMs > 0) {
            vertx().setTimer(delayMs, t -> respond(request, r, reply));
        } else {
            respond(request, r, reply);
        }
    }

    private void respond(HttpServerRequest request, ReceivedRequest r, AnthropicReply reply) {
        HttpServerResponse response = request.response();
        response.putHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        String problem = problem(r);
        if (problem != null) {
            json(response, 400, AnthropicShapes.error(400, "invalid_request_error", problem));
            return;
        }
        if (reply.status() != 0) {
            json(response, reply.status(), reply.errorBody());
            return;
        }
        String model = r.json().path("model").asString();
        if (r.path().equals("/v1/messages/count_tokens")) {
            json(response, 200, AnthropicShapes.countTokens(reply).toString());
        } else if (r.json().path("stream").asBoolean(false)) {
            response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache");
            EventWriter.write(vertx(), request, AnthropicShapes.events(model, reply), 0, reply.cutAfter());
        } else {
            json(response, 200, AnthropicShapes.message(model, reply).toString());
        }
    }

    /** What the real API would refuse in {@code r}, or null. */
    private static String problem(ReceivedRequest r) {
        if (!r.method().equals("POST") || !(r.path().equals("/v1/messages") || r.path().equals("/v1/messages/count_tokens"))) {
            return "Not found: " + r.method() + " " + r.path();
        }
        if (r.header("x-api-key") == null || r.header("anthropic-version") == null) {
            return "x-api-key and anthropic-version headers are required";
        }
        JsonNode json = r.json();
        if (r.path().equals("/v1/messages") && !json.path("max_tokens").isIntegralNumber()) {
            return "max_tokens: Field required";
        }
        JsonNode messages = json.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return "messages: Field required";
        }
        String expected = "user";
        Set<String> previousToolUses = new HashSet<>();
        for (JsonNode message : messages) {
            String role = message.path("role").asString("");
            if (!role.equals(expected)) {
                return "messages: roles must alternate between \"user\" and \"assistant\", starting with \"user\"";
            }
            Set<String> toolUses = new HashSet<>();
            for (JsonNode block : message.path("content")) {
                String type = block.path("type").asString("");
                if (type.equals("tool_use")) {
                    toolUses.add(block.path("id").asString());
                } else if (type.equals("tool_result") && !previousToolUses.contains(block.path("tool_use_id").asString())) {
                    return "messages: tool_result block(s) provided without a matching tool_use in the previous message";
                } else if (type.equals("text") && block.path("text").asString("").isEmpty()) {
                    return "messages: text content blocks must be non-empty";
                }
            }
            previousToolUses = toolUses;
            expected = role.equals("user") ? "assistant" : "user";
        }
        return null;
    }

    private static void json(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}

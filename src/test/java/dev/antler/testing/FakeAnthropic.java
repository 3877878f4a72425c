package dev.antler.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
public final class FakeAnthropic implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final ConcurrentLinkedQueue<AnthropicReply> script = new ConcurrentLinkedQueue<>();
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private volatile AnthropicReply fallback = AnthropicReply.ok();

    private FakeAnthropic(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::handle);
    }

    public static FakeAnthropic start() {
        FakeAnthropic fake = new FakeAnthropic(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)));
        try {
            fake.server.listen().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            fake.vertx.close();
            throw new IllegalStateException("fake upstream did not start", e);
        }
        return fake;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public FakeAnthropic enqueue(AnthropicReply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public FakeAnthropic always(AnthropicReply reply) {
        this.fallback = reply;
        return this;
    }

    public void reset() {
        script.clear();
        received.clear();
        fallback = AnthropicReply.ok();
    }

    public List<ReceivedRequest> requests() {
        return List.copyOf(received);
    }

    public ReceivedRequest onlyRequest() {
        List<ReceivedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("upstream requests: " + all.size() + " " + all + " (expected: exactly 1)");
        }
        return all.get(0);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            ReceivedRequest r = new ReceivedRequest(request.method().name(), request.path(),
                    MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.getBytes(),
                    new CompletableFuture<>());
            received.add(r);
            AnthropicReply scripted = script.poll();
            respond(request, r, scripted != null ? scripted : fallback);
        });
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
            List<String> events = AnthropicShapes.events(model, reply);
            for (int i = 0; i < events.size(); i++) {
                if (i == reply.cutAfter()) {
                    request.connection().close();
                    return;
                }
                response.write(events.get(i));
            }
            response.end();
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

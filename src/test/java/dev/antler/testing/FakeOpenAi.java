package dev.antler.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/**
 * A fake OpenAI upstream on a real socket, speaking OpenAI's documented wire formats (see
 * {@link OpenAiShapes}). It records every request it receives, and answers each with the next
 * scripted {@link FakeReply} ({@link #enqueue}), else with the default one ({@link #always}, initially
 * {@link FakeReply#ok()}).
 *
 * <pre>{@code
 * try (FakeOpenAi upstream = FakeOpenAi.start()) {
 *     upstream.enqueue(FakeReply.status(503));
 *     ... point a channel at upstream.baseUrl() ...
 *     assertThat(upstream.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-up");
 * }
 * }</pre>
 *
 * <p>Each Responses API response gets an id of its own and is kept for the calls on it
 * ({@link FakeStoredResponses}).
 *
 * <p>Streams: chat and completions add the usage-only chunk ({@code "choices":[]}) only when the request
 * asked for {@code stream_options.include_usage}; the Responses API reports usage in
 * {@code response.completed}.
 */
public final class FakeOpenAi extends ScriptedUpstream<FakeReply, FakeOpenAi> {

    /** The bytes {@code /v1/audio/speech} answers with (an MP3 frame header, then noise). */
    public static final byte[] SPEECH = speech();

    private final FakeStoredResponses responses = new FakeStoredResponses();

    private FakeOpenAi() {
        super(FakeReply::ok);
    }

    /** Writes {@code events} as an SSE stream, paced and cut as {@code reply} says. */
    interface Streamer {
        void stream(HttpServerRequest request, List<String> events, FakeReply reply);
    }

    public static FakeOpenAi start() {
        return new FakeOpenAi().listen();
    }

    @Override
    protected FakeOpenAi self() {
        return this;
    }

    /** A base URL nothing listens on: connections to it are refused. */
    public static String refusingUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void answer(HttpServerRequest request, ReceivedRequest r, FakeReply reply) {
        request.response().closeHandler(v -> r.abandoned().complete(null));
        if (reply.delayMs() > 0) {
            vertx().setTimer(reply.delayMs(), t -> respond(request, r, reply));
        } else {
            respond(request, r, reply);
        }
    }

    private void respond(HttpServerRequest request, ReceivedRequest r, FakeReply reply) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return;
        }
        if (reply.cutAfter() == 0) {
            request.connection().close();
            return;
        }
        response.putHeader("openai-processing-ms", "42").putHeader("x-request-id", "req_upstream_0001");
        if (reply.status() != 0) {
            json(response, reply.status(), reply.errorBody());
            return;
        }
        String path = request.path();
        String model = r.model();
        if (path.endsWith("/chat/completions")) {
            if (r.json().path("stream").asBoolean(false)) {
                dataStream(request, OpenAiShapes.chatChunks(model, reply, r.includeUsage()), reply);
            } else {
                json(response, 200, OpenAiShapes.chatCompletion(model, reply).toString());
            }
        } else if (path.endsWith("/completions")) {
            if (r.json().path("stream").asBoolean(false)) {
                dataStream(request, OpenAiShapes.completionChunks(model, reply, r.includeUsage()), reply);
            } else {
                json(response, 200, OpenAiShapes.completion(model, reply).toString());
            }
        } else if (path.startsWith("/v1/responses/")) {
            responses.answer(request, response, this::stream);
        } else if (path.endsWith("/responses")) {
            String id = responses.create(r, model, reply);
            if (r.json().path("background").asBoolean(false)) {
                json(response, 200, responses.queued(id).toString());
            } else if (r.json().path("stream").asBoolean(false)) {
                stream(request, OpenAiShapes.responseEvents(id, model, reply), reply);
            } else {
                json(response, 200, OpenAiShapes.response(id, model, reply, "completed").toString());
            }
        } else if (path.endsWith("/embeddings")) {
            boolean base64 = "base64".equals(r.json().path("encoding_format").asString(""));
            json(response, 200, OpenAiShapes.embeddings(model, reply, base64).toString());
        } else if (path.endsWith("/images/generations") || path.endsWith("/images/edits")) {
            images(response, r, model, reply);
        } else if (path.endsWith("/audio/speech")) {
            response.setChunked(true).putHeader("Content-Type", "audio/mpeg");
            int half = SPEECH.length / 2;
            response.write(Buffer.buffer(Arrays.copyOfRange(SPEECH, 0, half)));
            response.end(Buffer.buffer(Arrays.copyOfRange(SPEECH, half, SPEECH.length)));
        } else if (path.endsWith("/audio/transcriptions") || path.endsWith("/audio/translations")) {
            String format = r.form().part("response_format").map(FormData.Part::text).orElse("json");
            JsonNode body = OpenAiShapes.transcription(reply);
            if (format.equals("text")) {
                response.putHeader("Content-Type", "text/plain; charset=utf-8").end(body.path("text").asString() + "\n");
            } else {
                json(response, 200, body.toString());
            }
        } else if (path.endsWith("/moderations")) {
            json(response, 200, OpenAiShapes.moderation(model.isEmpty() ? "omni-moderation-latest" : model).toString());
        } else {
            json(response, 404, FakeReply.error(404, "invalid_request_error", "unknown_url",
                    "Unknown request URL: POST " + path).errorBody());
        }
    }

    private static void images(HttpServerResponse response, ReceivedRequest r, String model, FakeReply reply) {
        boolean multipart = r.isMultipart();
        String n = multipart ? r.form().part("n").map(FormData.Part::text).orElse("1")
                : r.json().path("n").asString("1");
        String format = multipart ? r.form().part("response_format").map(FormData.Part::text).orElse("url")
                : r.json().path("response_format").asString("url");
        int count = reply.images() >= 0 ? reply.images() : Integer.parseInt(n.trim());
        boolean b64 = format.equals("b64_json") || model.startsWith("gpt-image");
        json(response, 200, OpenAiShapes.images(model, reply, count, b64).toString());
    }

    private void dataStream(HttpServerRequest request, List<String> data, FakeReply reply) {
        List<String> events = new ArrayList<>();
        for (String d : data) {
            events.add("data: " + d + "\n\n");
        }
        events.add("data: [DONE]\n\n");
        stream(request, events, reply);
    }

    private void stream(HttpServerRequest request, List<String> events, FakeReply reply) {
        request.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        EventWriter.write(vertx(), request, events, reply.eventDelayMs(), reply.cutAfter());
    }

    private static void json(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private static byte[] speech() {
        byte[] bytes = new byte[48 * 1024];
        new Random(20250101).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFB;
        return bytes;
    }
}

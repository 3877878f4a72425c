package dev.antler.ideogram;

import dev.antler.json.Json;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake Ideogram API over a real socket. It checks what the real one checks — the {@code Api-Key}
 * header, a well-formed body, required fields, enum values, no empty values — records what it saw, and
 * answers with Ideogram's documented envelope, or with a 422 safety error or a 500 on demand.
 */
final class FakeIdeogram implements AutoCloseable {

    static final String KEY = "ideo-channel-key-7f3a9c";
    static final String CREATED = "2000-01-23T04:56:07.000Z";

    /** An uploaded file; {@code bytes} is kept only for files up to {@link #KEEP_BYTES}, the digest always. */
    record Upload(String filename, String contentType, byte[] bytes, long length, String sha256) {}

    static final int KEEP_BYTES = 1024 * 1024;

    record Seen(String method, String path, String query, MultiMap headers, Map<String, List<String>> fields,
                Map<String, List<Upload>> files, byte[] body) {

        String field(String name) {
            List<String> values = fields.get(name);
            return values == null ? null : values.get(0);
        }

        JsonNode json() {
            return Json.MAPPER.readTree(body);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The status to answer with: 200, 422 (safety) or anything else (plain-text failure). */
    volatile int status = 200;
    /** Images to return; 0 or less: as many as the request asked for. */
    volatile int images = 0;
    /**
     * When set, the body is not decoded (Netty's multipart decoder keeps what it read, which would blur a
     * heap measurement) but counted and digested as it comes, and reading pauses once this many bytes
     * arrived, until {@link #resume} completes; the answer is then a plain one-image envelope.
     */
    volatile long pauseAfterBytes = -1;
    volatile CompletableFuture<Void> paused = new CompletableFuture<>();
    volatile CompletableFuture<Void> resume = new CompletableFuture<>();

    FakeIdeogram() throws Exception {
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setMaxFormAttributeSize(-1))
                .requestHandler(this::handle).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    Seen last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    void reset() {
        seen.clear();
        status = 200;
        images = 0;
        pauseAfterBytes = -1;
        imagesAvailable = true;
        imageDownloads.clear();
        paused = new CompletableFuture<>();
        resume = new CompletableFuture<>();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The picture behind every result URL (which, as Ideogram's, needs no key). */
    static final byte[] RESULT_IMAGE = Form.png(false);
    /** When false, result URLs answer 404, as an expired Ideogram URL does. */
    volatile boolean imagesAvailable = true;
    final List<String> imageDownloads = new CopyOnWriteArrayList<>();

    private void handle(HttpServerRequest request) {
        if (request.method() == io.vertx.core.http.HttpMethod.GET && request.path().startsWith("/images/")) {
            imageDownloads.add(request.path());
            if (imagesAvailable) {
                request.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(RESULT_IMAGE));
            } else {
                request.response().setStatusCode(404).end();
            }
            return;
        }
        String contentType = request.getHeader("Content-Type");
        if (pauseAfterBytes >= 0) {
            counted(request);
            return;
        }
        boolean multipart = contentType != null && contentType.startsWith("multipart/form-data");
        Map<String, List<Upload>> files = new LinkedHashMap<>();
        Buffer raw = Buffer.buffer();
        if (multipart) {
            request.setExpectMultipart(true);
            request.uploadHandler(upload -> {
                Buffer bytes = Buffer.buffer();
                MessageDigest digest = sha256();
                long[] length = {0};
                upload.handler(chunk -> {
                    length[0] += chunk.length();
                    digest.update(chunk.getBytes());
                    if (length[0] <= KEEP_BYTES) {
                        bytes.appendBuffer(chunk);
                    }
                });
                upload.endHandler(v -> files.computeIfAbsent(upload.name(), k -> new ArrayList<>())
                        .add(new Upload(upload.filename(), upload.contentType(),
                                length[0] <= KEEP_BYTES ? bytes.getBytes() : null, length[0],
                                HexFormat.of().formatHex(digest.digest()))));
            });
        } else {
            request.handler(raw::appendBuffer);
        }
        request.exceptionHandler(e -> error(request, 400, "malformed body: " + e));
        request.endHandler(v -> {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            if (multipart) {
                request.formAttributes().forEach(e -> fields.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
            }
            Seen s = new Seen(request.method().name(), request.path(), request.query(), request.headers(), fields,
                    files, raw.getBytes());
            seen.add(s);
            answer(request, s);
        });
    }

    /** Raw mode: the body's length and digest, read with a pause halfway. */
    private void counted(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        MessageDigest digest = sha256();
        long[] length = {0};
        request.handler(chunk -> {
            length[0] += chunk.length();
            digest.update(chunk.getBytes());
            if (length[0] >= pauseAfterBytes && !paused.isDone()) {
                request.pause();
                paused.complete(null);
                resume.thenRun(() -> context.runOnContext(v -> request.resume()));
            }
        });
        request.endHandler(v -> {
            Upload whole = new Upload(null, request.getHeader("Content-Type"), null, length[0],
                    HexFormat.of().formatHex(digest.digest()));
            seen.add(new Seen(request.method().name(), request.path(), request.query(), request.headers(), Map.of(),
                    Map.of("body", List.of(whole)), new byte[0]));
            ObjectNode body = Json.object();
            body.put("created", CREATED);
            body.putArray("data").addObject().put("url", baseUrl() + "/images/raw.png").put("is_image_safe", true);
            request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.bytes(body)));
        });
    }

    private void answer(HttpServerRequest request, Seen s) {
        if (!KEY.equals(s.headers().get("Api-Key"))) {
            error(request, 401, "Api-Key: missing or wrong");
            return;
        }
        if (s.headers().contains("Authorization") || s.headers().contains("x-api-key")) {
            error(request, 400, "a client key was forwarded");
            return;
        }
        String problem = FakeIdeogramRules.problem(s);
        if (problem != null) {
            error(request, 400, problem);
            return;
        }
        if (status == 422) {
            error(request, 422, "Prompt failed the safety check.");
            return;
        }
        if (status != 200) {
            request.response().setStatusCode(status).end("upstream exploded");
            return;
        }
        ObjectNode body = Json.object();
        if (s.path().equals("/describe")) {
            body.putArray("descriptions").addObject().put("text", "A cat sitting on a chair");
        } else {
            body.put("created", CREATED);
            ArrayNode data = body.putArray("data");
            long n = images > 0 ? images : requested(s);
            for (int i = 0; i < n; i++) {
                ObjectNode image = data.addObject();
                image.put("url", baseUrl() + "/images/" + i + ".png");
                image.put("prompt", "a cat, " + i);
                image.put("resolution", "1024x1024");
                image.put("is_image_safe", true);
                image.put("seed", 12345 + i);
                image.put("style_type", "GENERAL");
            }
        }
        request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.bytes(body)));
    }

    private static long requested(Seen s) {
        String n = s.field("num_images");
        if (n == null && s.field("image_request") != null) {
            return Json.MAPPER.readTree(s.field("image_request")).path("num_images").asLong(1);
        }
        if (n == null && s.path().equals("/generate")) {
            return s.json().path("image_request").path("num_images").asLong(1);
        }
        return n == null ? 1 : Long.parseLong(n);
    }

    private static void error(HttpServerRequest request, int status, String message) {
        if (request.response().ended()) {
            return;
        }
        ObjectNode body = Json.object();
        body.put("error", message);
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.bytes(body)));
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }
}

package dev.antler.recraft;

import dev.antler.json.Json;
import dev.antler.testing.FormData;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake Recraft API over a real socket, speaking Recraft's documented wire format (its OpenAPI description at
 * {@code external.api.recraft.ai/doc}): JSON or multipart requests at {@code /v1/images/...} and {@code /v1/styles}
 * with the key as a bearer token; answers {@code {created, credits, data: [{image_id, url | b64_json}]}} for
 * generations and edits, {@code {created, credits, image: {image_id, url}}} for tools, a style for style creation;
 * errors {@code {code, message}} (400, 429), {@code request unauthorized} as text for a bad key, and a plain 500
 * on demand. It records what it saw and serves the result files at the URLs it hands out.
 */
final class FakeRecraft implements AutoCloseable {

    static final String KEY = "recraft-channel-key-5d1e7b";
    static final long CREATED = 1_760_000_000L;
    static final Set<String> PATHS = Set.of("/v1/images/generations", "/v1/images/generations/raster",
            "/v1/images/generations/vector", "/v1/images/imageToImage", "/v1/images/inpaint",
            "/v1/images/replaceBackground", "/v1/images/generateBackground", "/v1/images/vectorize",
            "/v1/images/removeBackground", "/v1/images/clarityUpscale", "/v1/images/crispUpscale",
            "/v1/images/generativeUpscale", "/v1/images/creativeUpscale", "/v1/images/eraseRegion", "/v1/styles");
    /** Recraft's models the fake knows (its own default, recraftv4_1, included). */
    static final Set<String> MODELS = Set.of("recraftv4", "recraftv4_vector", "recraftv4_pro", "recraftv4_pro_vector",
            "recraftv4_1", "recraftv4_1_vector", "recraftv3", "recraftv3_vector", "recraftv2", "recraftv2_vector");
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>".getBytes();

    /** What a request carried: its JSON body, or the parts of its form (file contents kept, with their digest). */
    record Seen(String path, String authorization, String contentType, JsonNode json, FormData form, long bodyBytes,
                String sha256) {

        /** A field as text, from either format; null when absent. */
        String field(String name) {
            if (json != null) {
                JsonNode node = json.get(name);
                return node == null || node.isNull() ? null : node.isString() ? node.stringValue() : node.toString();
            }
            return form.part(name).map(FormData.Part::text).orElse(null);
        }

        boolean multipart() {
            return form != null;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<String> downloads = new CopyOnWriteArrayList<>();
    /** 200, or the status to fail with: 400 and 429 in Recraft's JSON shape, anything else as plain text. */
    volatile int status = 200;
    /** Images to return; 0 or less: as many as asked for. */
    volatile int images = 0;
    /** When false, result URLs answer 404, as an expired one does. */
    volatile boolean filesAvailable = true;
    /** The key the fake accepts: another one simulates a revoked channel key. */
    volatile String key = KEY;

    FakeRecraft() throws Exception {
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
        downloads.clear();
        status = 200;
        images = 0;
        filesAvailable = true;
        key = KEY;
    }

    private void handle(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET && request.path().startsWith("/files/")) {
            downloads.add(request.path());
            boolean svg = request.path().endsWith(".svg");
            if (filesAvailable) {
                request.response().putHeader("Content-Type", svg ? "image/svg+xml" : "image/png")
                        .end(Buffer.buffer(svg ? SVG : PNG));
            } else {
                request.response().setStatusCode(404).end();
            }
            return;
        }
        request.body().onSuccess(body -> {
            if (!PATHS.contains(request.path()) || request.method() != HttpMethod.POST) {
                request.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("404 page not found");
                return;
            }
            String contentType = request.getHeader("Content-Type");
            byte[] bytes = body.getBytes();
            boolean multipart = contentType != null && contentType.startsWith("multipart/form-data");
            JsonNode json = null;
            FormData form = null;
            try {
                if (multipart) {
                    form = FormData.parse(bytes, contentType);
                } else {
                    json = Json.MAPPER.readTree(bytes);
                }
            } catch (RuntimeException e) {
                error(request, 400, "invalid_request", "malformed body: " + e.getMessage());
                return;
            }
            Seen s = new Seen(request.path(), request.getHeader("Authorization"), contentType, json, form,
                    bytes.length, sha256(bytes));
            seen.add(s);
            answer(request, s);
        });
    }

    private void answer(HttpServerRequest request, Seen s) {
        if (!("Bearer " + key).equals(s.authorization())) {
            request.response().setStatusCode(401).putHeader("Content-Type", "text/plain").end("request unauthorized");
            return;
        }
        String problem = problem(s);
        if (problem != null) {
            error(request, 400, "invalid_request", problem);
            return;
        }
        switch (status) {
            case 200 -> { }
            case 400 -> {
                error(request, 400, "prompt_is_forbidden", "The prompt was rejected by the moderation");
                return;
            }
            case 429 -> {
                error(request, 429, "too_many_requests", "Too many requests, retry later");
                return;
            }
            default -> {
                request.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end("internal error");
                return;
            }
        }
        ObjectNode answer = Json.object();
        answer.put("created", CREATED);
        String model = s.field("model") == null ? "recraftv4_1" : s.field("model");
        boolean vector = model.endsWith("_vector") || s.path().endsWith("/vector") || s.path().endsWith("/vectorize");
        boolean inline = "b64_json".equals(s.field("response_format"));
        if (s.path().equals("/v1/styles")) {
            answer.put("id", UUID.randomUUID().toString()).put("style", s.field("style") == null ? "any" : s.field("style"))
                    .put("creation_time", "2026-09-01T10:00:00Z").put("is_private", true).put("credits", 40);
        } else if (s.path().startsWith("/v1/images/generat") && !s.path().endsWith("Background")
                || Set.of("/v1/images/imageToImage", "/v1/images/inpaint", "/v1/images/replaceBackground",
                        "/v1/images/generateBackground").contains(s.path())) {
            long n = images > 0 ? images : s.field("n") == null ? 1 : Long.parseLong(s.field("n"));
            answer.put("credits", n * (vector ? 80 : 40));
            ArrayNode data = answer.putArray("data");
            for (int i = 0; i < n; i++) {
                image(data.addObject(), vector, inline);
            }
        } else {
            answer.put("credits", 10);
            image(answer.putObject("image"), vector, inline);
        }
        request.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.bytes(answer)));
    }

    private void image(ObjectNode image, boolean vector, boolean inline) {
        String id = UUID.randomUUID().toString();
        image.put("image_id", id);
        if (inline) {
            image.put("b64_json", Base64.getEncoder().encodeToString(vector ? SVG : PNG));
        } else {
            image.put("url", baseUrl() + "/files/" + id + (vector ? ".svg" : ".png"));
        }
    }

    /** What Recraft refuses: a missing required field, an unknown model, {@code n} out of 1–6, a missing image. */
    private static String problem(Seen s) {
        String path = s.path();
        String model = s.field("model");
        if (model != null && !MODELS.contains(model)) {
            return "unknown model " + model;
        }
        boolean prompted = path.startsWith("/v1/images/generations") || Set.of("/v1/images/imageToImage",
                "/v1/images/inpaint", "/v1/images/replaceBackground", "/v1/images/generateBackground").contains(path);
        if (prompted && (s.field("prompt") == null || s.field("prompt").isEmpty())) {
            return "prompt is required";
        }
        String n = s.field("n");
        if (n != null && (!n.matches("\\d+") || Long.parseLong(n) < 1 || Long.parseLong(n) > 6)) {
            return "n must be between 1 and 6";
        }
        if (!path.startsWith("/v1/images/generations")) {
            String image = path.equals("/v1/styles") ? "images" : "image";
            boolean given = s.multipart() ? s.form().part(image).isPresent()
                    : s.json().has(path.equals("/v1/styles") ? "image_urls" : "image_url");
            if (!given) {
                return image + " is required";
            }
        }
        return null;
    }

    private static void error(HttpServerRequest request, int status, String code, String message) {
        ObjectNode body = Json.object().put("code", code).put("message", message);
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.bytes(body)));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }
}

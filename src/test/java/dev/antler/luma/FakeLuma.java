package dev.antler.luma;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.testing.RangeFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Luma's Dream Machine API on a real socket, as its Python SDK ({@code lumaai}) types it: {@code POST
 * /dream-machine/v1/generations} (model ray-1-6|ray-2|ray-flash-2 required) answers 201 with a queued Generation;
 * {@code GET .../generations/{id}} moves it one state per look on the schedule queued → dreaming → completed (or
 * failed with a {@code failure_reason}, when {@link #failNext} was set at its submit), the completed one with
 * {@code assets{video, image}} on the fake's CDN ({@code GET /cdn/{name}}, Range honoured). Every API call needs
 * {@code Authorization: Bearer} {@link #KEY}, else 401 {@code {"detail"}}. Knobs: {@link #failNext}, {@link #busy}
 * (the next N API calls answer 429), {@link #refuseNext} (the next submit answers 400 with a detail).
 */
final class FakeLuma implements AutoCloseable {

    static final String KEY = "luma-upstream-key-0001";
    private static final Set<String> MODELS = Set.of("ray-1-6", "ray-2", "ray-flash-2");

    /** A generation: its state, whether it is to fail, the request, how often it was looked at. */
    record Job(String state, boolean fail, ObjectNode request, int looks) {}

    private final HttpServer server;
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Every request as {@code METHOD path}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The submitted bodies. */
    final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
    final AtomicInteger busy = new AtomicInteger();
    final AtomicInteger cdnHits = new AtomicInteger();
    volatile boolean failNext;
    volatile String refuseNext;
    private volatile String lastId;

    FakeLuma() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String lastId() {
        return lastId;
    }

    /** Sets generation {@code id}'s state (a test's shortcut past the schedule). */
    void state(String id, String state) {
        jobs.computeIfPresent(id, (k, j) -> new Job(state, j.fail(), j.request(), j.looks()));
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        requests.add(method + " " + path);
        if (path.startsWith("/cdn/")) {
            cdn(ex, path.substring("/cdn/".length()));
            return;
        }
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, detail("Invalid API key"));
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, 429, detail("Too many requests"));
            return;
        }
        String base = "/dream-machine/v1/generations";
        if (method.equals("GET") && path.equals("/dream-machine/v1/credits")) {
            send(ex, 200, "{\"credit_balance\": 1000.0}");
        } else if (method.equals("POST") && path.equals(base)) {
            submit(ex);
        } else if (method.equals("GET") && path.startsWith(base + "/")) {
            String id = path.substring(base.length() + 1);
            Job job = jobs.computeIfPresent(id, (k, j) -> step(j));
            if (job == null) {
                send(ex, 404, detail("Generation not found"));
            } else {
                send(ex, 200, Json.MAPPER.writeValueAsString(generation(id, job)));
            }
        } else {
            send(ex, 404, detail("Not Found"));
        }
    }

    private void submit(HttpExchange ex) throws IOException {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
        submitted.add(body);
        String refusal = refuseNext;
        refuseNext = null;
        if (refusal != null) {
            send(ex, 400, detail(refusal));
            return;
        }
        if (!MODELS.contains(body.path("model").asString(""))) {
            send(ex, 400, detail("model is required"));
            return;
        }
        for (String frame : List.of("frame0", "frame1")) {
            JsonNode keyframe = body.path("keyframes").path(frame);
            if (keyframe.path("type").asString("").equals("generation") && !jobs.containsKey(keyframe.path("id")
                    .asString(""))) {
                send(ex, 400, detail("keyframe generation not found"));
                return;
            }
        }
        String id = UUID.randomUUID().toString();
        boolean fail = failNext;
        failNext = false;
        Job job = new Job("queued", fail, body, 0);
        jobs.put(id, job);
        lastId = id;
        send(ex, 201, Json.MAPPER.writeValueAsString(generation(id, job)));
    }

    private static Job step(Job j) {
        String next = switch (j.state()) {
            case "queued" -> "dreaming";
            case "dreaming" -> j.fail() ? "failed" : "completed";
            default -> j.state();
        };
        return new Job(next, j.fail(), j.request(), j.looks() + 1);
    }

    private ObjectNode generation(String id, Job job) {
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("generation_type", "video");
        out.put("state", job.state());
        if (job.state().equals("failed")) {
            out.put("failure_reason", "prompt blocked by moderation");
        } else {
            out.putNull("failure_reason");
        }
        out.put("created_at", Instant.parse("2025-01-23T10:00:00Z").toString());
        ObjectNode assets = out.putObject("assets");
        if (job.state().equals("completed")) {
            assets.put("video", baseUrl() + "/cdn/" + id + ".mp4");
            assets.put("image", baseUrl() + "/cdn/" + id + ".jpg");
        }
        if (job.state().equals("dreaming")) {
            assets.put("progress_video", baseUrl() + "/cdn/" + id + "-progress.mp4");
        }
        out.put("model", job.request().path("model").asString());
        out.set("request", job.request());
        return out;
    }

    /** Result file {@code name}'s bytes: a pattern, the same at every call. */
    byte[] result(String name) {
        byte[] bytes = new byte[4000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 17 + name.hashCode());
        }
        return bytes;
    }

    private void cdn(HttpExchange ex, String name) throws IOException {
        cdnHits.incrementAndGet();
        byte[] bytes = result(name);
        ex.getResponseHeaders().set("Content-Type", name.endsWith(".jpg") ? "image/jpeg" : "video/mp4");
        ex.getResponseHeaders().set("X-Luma-Cdn", "storage.cdn-luma.test");
        RangeFiles.send(ex, bytes);
    }

    private static String detail(String message) {
        return "{\"detail\":\"" + message + "\"}";
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.antler.pika;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Pika reverse relay on a real socket, as the relays' docs (yutoai, gpt-best, morphogen) show it: {@code POST
 * /pika/generate} (promptText required) answers {@code {"id"}}; {@code GET /pika/feed/{id}} answers {@code {id,
 * promptText, videos[{id, status, progress, seed, resultUrl, sharingUrl, videoPoster, imageThumb, duration,
 * error}]}}, each look moving the video one step: queued → pending → finished (or error, when {@link #failNext}
 * was set at its submit), its files on the fake's CDN. Calls need {@code Authorization: Bearer} {@link #KEY}.
 * Knobs: {@link #failNext}, {@link #busy} (the next N calls answer 429), {@link #refuseNext} (a 400 in OpenAI's
 * envelope).
 */
final class FakePika implements AutoCloseable {

    static final String KEY = "pika-relay-key-0001";

    record Job(String status, boolean fail, ObjectNode request, int looks) {}

    private final HttpServer server;
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
    final AtomicInteger busy = new AtomicInteger();
    volatile boolean failNext;
    volatile String refuseNext;
    private volatile String lastId;

    FakePika() throws IOException {
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

    void status(String id, String status) {
        jobs.computeIfPresent(id, (k, j) -> new Job(status, j.fail(), j.request(), j.looks()));
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        if (path.startsWith("/cdn/")) {
            byte[] bytes = ("pika file " + path).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", path.endsWith(".jpg") ? "image/jpeg" : "video/mp4");
            ex.sendResponseHeaders(200, bytes.length);
            try (var out = ex.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, error("invalid token", "authentication_error"));
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, 429, error("too many requests", "rate_limit_error"));
            return;
        }
        if (ex.getRequestMethod().equals("POST") && path.equals("/pika/generate")) {
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            submitted.add(body);
            String refusal = refuseNext;
            refuseNext = null;
            if (refusal != null || !body.path("promptText").isString()) {
                send(ex, 400, error(refusal != null ? refusal : "promptText is required", "invalid_request_error"));
                return;
            }
            String id = UUID.randomUUID().toString();
            boolean fail = failNext;
            failNext = false;
            jobs.put(id, new Job("queued", fail, body, 0));
            lastId = id;
            send(ex, 200, "{\"id\":\"" + id + "\"}");
        } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/pika/feed/")) {
            String id = path.substring("/pika/feed/".length());
            Job job = jobs.computeIfPresent(id, (k, j) -> step(j));
            if (job == null) {
                send(ex, 404, error("task not found", "invalid_request_error"));
            } else {
                send(ex, 200, Json.MAPPER.writeValueAsString(feed(id, job)));
            }
        } else {
            send(ex, 404, error("not found", "invalid_request_error"));
        }
    }

    private static Job step(Job j) {
        String next = switch (j.status()) {
            case "queued" -> "pending";
            case "pending" -> j.fail() ? "error" : "finished";
            default -> j.status();
        };
        return new Job(next, j.fail(), j.request(), j.looks() + 1);
    }

    private ObjectNode feed(String id, Job job) {
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("promptText", job.request().path("promptText").asString());
        ArrayNode videos = out.putArray("videos");
        ObjectNode video = videos.addObject();
        video.put("id", id);
        video.put("status", job.status());
        video.put("seed", 3183047765L);
        boolean done = job.status().equals("finished");
        video.put("progress", done ? 100 : job.status().equals("pending") ? 40 : 0);
        String cdn = baseUrl() + "/cdn/" + id;
        video.put("resultUrl", done ? cdn + "/video.mp4" : "");
        video.put("sharingUrl", done ? cdn + "/video_share.mp4" : "");
        video.put("videoPoster", done ? cdn + "/poster.jpg" : "");
        video.put("imageThumb", done ? cdn + "/thumbnail.jpg" : "");
        video.put("duration", 5);
        video.put("error", job.status().equals("error") ? "content moderation failed" : "");
        return out;
    }

    private static String error(String message, String type) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":null}}";
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

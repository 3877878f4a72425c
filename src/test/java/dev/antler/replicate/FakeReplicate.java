package dev.antler.replicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replicate's predictions API on a real socket, in its documented wire format (replicate-python's cassettes and
 * models): {@code POST /v1/models/{owner}/{name}/predictions {input}} and {@code POST /v1/predictions {version, input}}
 * answer 201 with a Prediction ({@code starting}); {@code GET /v1/predictions/{id}} moves it one step along its
 * schedule each time (starting → processing → … → succeeded, or failed); {@code POST /v1/predictions/{id}/cancel}
 * cancels an unfinished one; {@code Prefer: wait[=n]} on a create answers with the prediction run to its end
 * ({@code Preference-Applied}); errors are problem JSON. Every call needs {@code Authorization: Bearer }{@link #KEY}.
 * Files are served at {@code GET /files/{name}} (public, like replicate.delivery). Knobs: {@link #failNext},
 * {@link #steps} (GETs from processing to the end), {@link #busy} (the next N calls answer 429), {@link #refuseNext}
 * (the next create answers 422).
 */
final class FakeReplicate implements AutoCloseable {

    static final String KEY = "r8_fake_replicate_key_0001";
    static final String SDXL_VERSION = "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b";
    static final List<String> MODELS = List.of("black-forest-labs/flux-schnell", "black-forest-labs/flux-1.1-pro",
            "stability-ai/sdxl", "acme/unpriced");

    record Job(String model, String version, ObjectNode input, String status, boolean fail, int polls, int steps,
               String logs) {}

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<JsonNode> created = new CopyOnWriteArrayList<>();
    /** Every request's headers, lower-case names. */
    final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    final AtomicInteger fileHits = new AtomicInteger();
    volatile boolean failNext;
    volatile boolean refuseNext;
    /** How many GETs a prediction stays processing before it ends. */
    volatile int steps = 1;
    final AtomicInteger busy = new AtomicInteger();

    FakeReplicate() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String lastId() {
        return "upid" + ids.get() + "xq7";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        requests.add(method + " " + path);
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        ex.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values));
        headers.add(seen);
        if (path.startsWith("/files/")) {
            fileHits.incrementAndGet();
            byte[] bytes = file(path.substring("/files/".length()));
            ex.getResponseHeaders().set("Content-Type", "image/webp");
            ex.sendResponseHeaders(200, bytes.length);
            try (var out = ex.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, problem(401, "Unauthenticated", "You did not pass a valid authentication token"));
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, 429, problem(429, "Request was throttled", "Your request was throttled. Expected available in 1 second."));
            return;
        }
        String[] parts = path.split("/", -1); // "", v1, ...
        if (method.equals("GET") && path.equals("/v1/account")) {
            send(ex, 200, "{\"type\":\"user\",\"username\":\"fake\",\"name\":\"Fake\",\"github_url\":null}");
        } else if (method.equals("POST") && parts.length == 6 && parts[2].equals("models") && parts[5].equals("predictions")) {
            create(ex, parts[3] + "/" + parts[4]);
        } else if (method.equals("POST") && path.equals("/v1/predictions")) {
            create(ex, null);
        } else if (method.equals("GET") && parts.length == 4 && parts[2].equals("predictions")) {
            Job job = jobs.computeIfPresent(parts[3], (k, j) -> step(j));
            if (job == null) {
                send(ex, 404, problem(404, "Not found", "The requested resource could not be found."));
            } else {
                send(ex, 200, prediction(parts[3], job).toString());
            }
        } else if (method.equals("POST") && parts.length == 5 && parts[2].equals("predictions") && parts[4].equals("cancel")) {
            Job job = jobs.computeIfPresent(parts[3], (k, j) -> terminal(j.status()) ? j
                    : new Job(j.model(), j.version(), j.input(), "canceled", j.fail(), j.polls(), j.steps(), j.logs()));
            if (job == null) {
                send(ex, 404, problem(404, "Not found", "The requested resource could not be found."));
            } else {
                send(ex, 200, prediction(parts[3], job).toString());
            }
        } else {
            send(ex, 404, problem(404, "Not found", "The requested resource could not be found."));
        }
    }

    private void create(HttpExchange ex, String modelInPath) throws IOException {
        JsonNode body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
        created.add(body);
        String model = modelInPath;
        String version = body.path("version").asString(null);
        if (model == null) {
            model = SDXL_VERSION.equals(version) ? "stability-ai/sdxl" : null;
        }
        if (model == null || !MODELS.contains(model)) {
            send(ex, 404, problem(404, "Not found", "The requested resource could not be found."));
            return;
        }
        if (refuseNext) {
            refuseNext = false;
            send(ex, 422, "{\"title\":\"Input validation failed\",\"detail\":\"- input.prompt: Invalid type. Expected: string"
                    + ", given: integer\",\"status\":422,\"invalid_fields\":[{\"type\":\"invalid_type\",\"field\":\"input.prompt\","
                    + "\"description\":\"Invalid type. Expected: string, given: integer\"}]}");
            return;
        }
        String id = "upid" + ids.incrementAndGet() + "xq7";
        boolean fail = failNext;
        failNext = false;
        Job job = new Job(model, version == null ? "dp-a557b7387b4940df25b23f779dc534c4" : version,
                (ObjectNode) body.path("input"), "starting", fail, 0, steps, "");
        String prefer = ex.getRequestHeaders().getFirst("Prefer");
        if (prefer != null && prefer.startsWith("wait")) {
            while (!terminal(job.status())) {
                job = step(job);
            }
            ex.getResponseHeaders().set("Preference-Applied", prefer);
        }
        jobs.put(id, job);
        send(ex, 201, prediction(id, job).toString());
    }

    private static boolean terminal(String status) {
        return status.equals("succeeded") || status.equals("failed") || status.equals("canceled");
    }

    private static Job step(Job j) {
        if (terminal(j.status())) {
            return j;
        }
        int polls = j.polls() + 1;
        String next = polls <= j.steps() ? "processing" : j.fail() ? "failed" : "succeeded";
        String logs = j.logs() + "step " + polls + "/" + (j.steps() + 1) + "\n";
        return new Job(j.model(), j.version(), j.input(), next, j.fail(), polls, j.steps(), logs);
    }

    /** File {@code name}'s bytes: a pattern, the same at every call. */
    static byte[] file(String name) {
        byte[] bytes = new byte[3000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 17 + name.hashCode());
        }
        return bytes;
    }

    private ObjectNode prediction(String id, Job job) {
        ObjectNode p = Json.object();
        p.put("id", id);
        p.put("model", job.model());
        p.put("version", job.version());
        p.set("input", job.input());
        p.put("logs", job.logs());
        if (job.status().equals("succeeded")) {
            if (job.model().startsWith("black-forest-labs/flux-schnell") || job.model().equals("stability-ai/sdxl")) {
                int n = job.input().path("num_outputs").asInt(1);
                for (int i = 0; i < n; i++) {
                    p.withArray("output").add(baseUrl() + "/files/" + id + "-" + i + ".webp");
                }
            } else {
                p.put("output", baseUrl() + "/files/" + id + "-0.webp");
            }
            p.putObject("metrics").put("predict_time", 2.3).put("total_time", 2.9).put("image_count", 1);
        } else {
            p.putNull("output");
        }
        p.put("data_removed", false);
        if (job.status().equals("failed")) {
            p.put("error", "NSFW content detected. Try running it again, or try a different prompt.");
        } else {
            p.putNull("error");
        }
        p.put("source", "api");
        p.put("status", job.status());
        p.put("created_at", "2026-11-20T10:00:00.000Z");
        if (!job.status().equals("starting")) {
            p.put("started_at", Instant.parse("2026-11-20T10:00:01.500Z").toString());
        }
        if (terminal(job.status())) {
            p.put("completed_at", "2026-11-20T10:00:04.000Z");
        }
        ObjectNode urls = p.putObject("urls");
        urls.put("get", baseUrl() + "/v1/predictions/" + id);
        urls.put("cancel", baseUrl() + "/v1/predictions/" + id + "/cancel");
        urls.put("stream", baseUrl() + "/v1/streams/" + id);
        urls.put("web", baseUrl() + "/p/" + id);
        return p;
    }

    static String problem(int status, String title, String detail) {
        return "{\"title\":\"" + title + "\",\"detail\":\"" + detail + "\",\"status\":" + status + "}";
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

package dev.antler.kling;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.testing.RangeFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kling's API on a real socket. Every call must carry {@code Authorization: Bearer <jwt>} signed with
 * {@link #SECRET} ({@code iss} = {@link #ACCESS}, now inside {@code nbf..exp}), or the relay key {@link #RELAY_KEY};
 * otherwise 401 in Kling's envelope (code 1000-1004). Submits answer {@code submitted}; each query of a task moves
 * it one step, submitted → processing → succeed (or failed, if {@link #failNext} was set at its submit). A
 * succeeded task reports the units Kling deducted as Kling documents it, {@code data.final_unit_deduction}, a
 * decimal string. Knobs: {@link #failNext}, {@link #busy} (the next N calls answer 429, code 1302),
 * {@link #unitDeduction}.
 */
final class FakeKling implements AutoCloseable {

    static final String ACCESS = "ak-test-0001";
    static final String SECRET = "sk-secret-not-a-relay-key-0001";
    static final String KEY = ACCESS + "|" + SECRET;
    static final String RELAY_KEY = "sk-relay-key-0001";

    record Job(String path, ObjectNode body, String status, boolean fail, int polls) {}

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Every request as {@code METHOD path}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The submitted bodies. */
    final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
    /** The Authorization headers seen. */
    final List<String> tokens = new CopyOnWriteArrayList<>();
    /** The result files fetched from the fake's CDN ({@code GET /cdn/{name}}, public, Range honoured). */
    final AtomicInteger cdnHits = new AtomicInteger();
    /** The size of each result file. */
    volatile int resultBytes = 5000;
    volatile boolean failNext;
    final AtomicInteger busy = new AtomicInteger();
    /**
     * What a succeeded task reports as {@code final_unit_deduction}: a string as Kling sends it (default "1"), a
     * number (as another relay might re-encode it), or null for none.
     */
    volatile Object unitDeduction = "1";

    FakeKling() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String lastId() {
        return "kt-" + ids.get();
    }

    /** Task {@code id}'s data object as Kling's callback sends it. */
    String dataJson(String id) {
        return Json.MAPPER.writeValueAsString(data(id, jobs.get(id)));
    }

    /** POSTs the task's data object to {@code url}, as Kling's callback does. */
    void callBack(String id, String url) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(data(id, jobs.get(id)))))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding());
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        if (path.startsWith("/cdn/")) {
            cdn(ex, path.substring("/cdn/".length()));
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        tokens.add(String.valueOf(auth));
        int authError = verify(auth);
        if (authError != 0) {
            send(ex, 401, error(authError, "Authentication failed"));
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, 429, error(1302, "rate limit exceeded"));
            return;
        }
        String local = path.startsWith("/kling/") ? path.substring("/kling".length()) : path;
        String[] parts = local.split("/"); // "", v1, videos, action[, id]
        if (ex.getRequestMethod().equals("POST") && parts.length == 4) {
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            submitted.add(body);
            String id = "kt-" + ids.incrementAndGet();
            boolean fail = failNext;
            failNext = false;
            jobs.put(id, new Job(local, body, "submitted", fail, 0));
            send(ex, 200, ok(data(id, jobs.get(id))));
        } else if (ex.getRequestMethod().equals("GET") && parts.length == 5) {
            Job job = jobs.computeIfPresent(parts[4], (k, j) -> step(j));
            if (job == null || !local.startsWith(job.path() + "/")) {
                send(ex, 404, error(1203, "task not found"));
                return;
            }
            send(ex, 200, ok(data(parts[4], job)));
        } else {
            send(ex, 404, error(1203, "not found"));
        }
    }

    /** Result file {@code name}'s bytes: a pattern of its size, the same at every call. */
    byte[] result(String name) {
        byte[] bytes = new byte[resultBytes];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + name.hashCode());
        }
        return bytes;
    }

    private void cdn(HttpExchange ex, String name) throws IOException {
        cdnHits.incrementAndGet();
        byte[] bytes = result(name);
        ex.getResponseHeaders().set("Content-Type", name.startsWith("i") ? "image/png" : "video/mp4");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        ex.getResponseHeaders().set("X-Cdn-Host", "cdn.kling.test");
        RangeFiles.send(ex, bytes);
    }

    private static Job step(Job j) {
        String next = switch (j.status()) {
            case "submitted" -> "processing";
            case "processing" -> j.fail() ? "failed" : "succeed";
            default -> j.status();
        };
        return new Job(j.path(), j.body(), next, j.fail(), j.polls() + 1);
    }

    /** 0 when {@code auth} is the relay key or a valid token; else Kling's code. */
    static int verify(String auth) {
        if (auth == null || !auth.startsWith("Bearer ")) {
            return 1001;
        }
        String token = auth.substring("Bearer ".length());
        if (token.equals(RELAY_KEY)) {
            return 0;
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return 1002;
        }
        String expected = KlingAuth.sign(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8),
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8), SECRET);
        JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        if (!expected.equals(token) || !"HS256".equals(header.path("alg").asString())
                || !ACCESS.equals(claims.path("iss").asString())) {
            return 1002;
        }
        long now = System.currentTimeMillis() / 1000;
        if (now < claims.path("nbf").asLong()) {
            return 1003;
        }
        return now >= claims.path("exp").asLong() ? 1004 : 0;
    }

    private ObjectNode data(String id, Job job) {
        ObjectNode data = Json.object();
        data.put("task_id", id);
        data.put("task_status", job.status());
        data.put("task_status_msg", job.status().equals("failed") ? "content risk" : "");
        ObjectNode info = data.putObject("task_info");
        if (job.body().has("external_task_id")) {
            info.set("external_task_id", job.body().get("external_task_id"));
        }
        ObjectNode result = data.putObject("task_result");
        if (job.status().equals("succeed")) {
            if (job.path().contains("/images/")) {
                for (int i = 0; i < job.body().path("n").asInt(1); i++) {
                    result.withArray("images").addObject().put("index", i).put("url", baseUrl() + "/cdn/i" + i + "-" + id);
                }
            } else {
                result.withArray("videos").addObject().put("id", "vid-" + id).put("url", baseUrl() + "/cdn/" + id)
                        .put("duration", job.body().path("duration").asString("5").equals("10") ? "10.0" : "5.1");
            }
            Object units = unitDeduction;
            if (units instanceof Number number) {
                data.put("final_unit_deduction", new java.math.BigDecimal(number.toString()));
            } else if (units != null) {
                data.put("final_unit_deduction", units.toString());
            }
        }
        data.put("created_at", 1722769557708L);
        data.put("updated_at", 1722769557708L + job.polls());
        return data;
    }

    private static String ok(ObjectNode data) {
        ObjectNode root = Json.object();
        root.put("code", 0);
        root.put("message", "SUCCEED");
        root.put("request_id", "up-req-1");
        root.set("data", data);
        return Json.MAPPER.writeValueAsString(root);
    }

    static String error(int code, String message) {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\",\"request_id\":\"up-req-e\",\"data\":null}";
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

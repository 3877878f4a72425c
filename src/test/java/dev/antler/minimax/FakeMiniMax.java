package dev.antler.minimax;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.testing.RangeFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * MiniMax's video API on a real socket, as MiniMax's API reference documents it.
 * <ul>
 *   <li>V1: {@code POST /v1/video_generation} → {@code {task_id, base_resp}}; {@code GET /v1/query/video_generation
 *       ?task_id=} → {@code {task_id, status, file_id, video_width, video_height, base_resp}};
 *       {@code GET /v1/files/retrieve?file_id=} → {@code {file: {file_id (int64), bytes, created_at, filename,
 *       purpose, download_url}, base_resp}}. Errors with HTTP 200 and a non-zero {@code base_resp.status_code}.</li>
 *   <li>V2: {@code POST /v2/video_generation} → {@code {task_id}}; {@code GET /v2/query/video_generation/{id}} →
 *       {@code {task: {id, model, status, error, created_at, updated_at, content{url}, resolution, duration,
 *       usage, ratio, task_type, modality}}}. Errors with the real HTTP status and
 *       {@code {type: "error", error: {type, message: "... (code)", http_code}, request_id}}.</li>
 * </ul>
 * Every call must carry {@code Authorization: Bearer} {@link #KEY} (else code 1004). Each query of a task moves it one
 * step: V1 Preparing → Queueing → Processing → Success (or Fail, when {@link #failNext} was set at its submit); V2
 * queued → running → succeeded (or failed). Knobs: {@link #submitCodes} (the next submits answer these codes),
 * {@link #busy} (the next N calls answer code 1002 / HTTP 429), {@link #retrieveFailures} (the next N
 * {@code files/retrieve} answer code 1000), {@link #referenceSeconds} (V2 input seconds billed for a reference video).
 * Result files are served on {@code /cdn/{name}} with a signed-looking query, Range honoured.
 */
final class FakeMiniMax implements AutoCloseable {

    static final String KEY = "mm-key-test-0001";

    record Job(String api, ObjectNode body, List<String> steps, int at) {

        String status() {
            return steps.get(at);
        }
    }

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final String prefix;
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Every request as {@code METHOD path?query}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The submitted bodies. */
    final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
    final Deque<Integer> submitCodes = new ArrayDeque<>();
    final AtomicInteger busy = new AtomicInteger();
    final AtomicInteger retrieveFailures = new AtomicInteger();
    final AtomicInteger cdnHits = new AtomicInteger();
    volatile boolean failNext;
    volatile int referenceSeconds = 4;
    volatile int resultBytes = 3000;

    /** @param prefix the first digits of this fake's task ids, so two fakes' ids differ */
    FakeMiniMax(String prefix) throws IOException {
        this.prefix = prefix;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    FakeMiniMax() throws IOException {
        this("30691");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The upstream id of the last task made. */
    String lastId() {
        return id(ids.get());
    }

    private String id(int n) {
        return prefix + String.format("%010d", 6023824L + n);
    }

    /** Upstream file ids: the task id with another prefix. */
    static String fileId(String taskId) {
        return "9" + taskId.substring(1);
    }

    long submits() {
        return requests.stream().filter(r -> r.startsWith("POST ")).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        requests.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        boolean v2 = path.startsWith("/v2/");
        if (path.startsWith("/cdn/")) {
            cdn(ex, path.substring("/cdn/".length()));
            return;
        }
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            error(ex, v2, 1004, "login fail: Please carry the API secret key in the 'Authorization' field");
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(ex, v2, 1002, "rate limit, please retry later");
            return;
        }
        String method = ex.getRequestMethod();
        if (method.equals("POST") && (path.equals("/v1/video_generation") || path.equals("/v2/video_generation"))) {
            submit(ex, v2);
        } else if (method.equals("GET") && path.equals("/v1/query/video_generation")) {
            Job job = step(param(query, "task_id"));
            if (job == null || !job.api().equals("v1")) {
                error(ex, false, 2013, "invalid task_id");
                return;
            }
            ObjectNode out = Json.object();
            out.put("task_id", param(query, "task_id"));
            out.put("status", job.status());
            boolean done = job.status().equals("Success");
            out.put("file_id", done ? fileId(param(query, "task_id")) : "");
            out.put("video_width", done ? 1366 : 0);
            out.put("video_height", done ? 768 : 0);
            ok(ex, out);
        } else if (method.equals("GET") && path.equals("/v1/files/retrieve")) {
            String fileId = param(query, "file_id");
            String taskId = fileId.isEmpty() ? "" : "3" + fileId.substring(1);
            Job job = jobs.get(taskId);
            if (job == null || !job.status().equals("Success")) {
                error(ex, false, 2013, "invalid file_id");
                return;
            }
            if (retrieveFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(ex, false, 1000, "unknown error");
                return;
            }
            ObjectNode out = Json.object();
            ObjectNode file = out.putObject("file");
            file.put("file_id", Long.parseLong(fileId));
            file.put("bytes", resultBytes);
            file.put("created_at", 1756453566L);
            file.put("filename", "output.mp4");
            file.put("purpose", "video_generation");
            file.put("download_url", cdnUrl(taskId));
            ok(ex, out);
        } else if (method.equals("GET") && path.startsWith("/v2/query/video_generation/")) {
            String id = path.substring("/v2/query/video_generation/".length());
            Job job = step(id);
            if (job == null || !job.api().equals("v2")) {
                error(ex, true, 2013, "invalid task_id");
                return;
            }
            send(ex, 200, Json.MAPPER.writeValueAsString(Json.object().set("task", v2Task(id, job))));
        } else if (method.equals("GET") && path.equals("/v2/query/video_generation")) {
            send(ex, 200, "{\"tasks\":[],\"total\":0}");
        } else {
            error(ex, v2, 2013, "invalid params, unknown path " + path);
        }
    }

    private void submit(HttpExchange ex, boolean v2) throws IOException {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
        submitted.add(body);
        Integer code;
        synchronized (submitCodes) {
            code = submitCodes.pollFirst();
        }
        if (code != null && code != 0) {
            error(ex, v2, code, message(code));
            return;
        }
        String id = id(ids.incrementAndGet());
        boolean fail = failNext;
        failNext = false;
        List<String> steps = v2 ? List.of("queued", "running", fail ? "failed" : "succeeded")
                : List.of("Preparing", "Queueing", "Processing", fail ? "Fail" : "Success");
        jobs.put(id, new Job(v2 ? "v2" : "v1", body, steps, 0));
        ObjectNode out = Json.object();
        out.put("task_id", id);
        if (v2) {
            send(ex, 200, Json.MAPPER.writeValueAsString(out));
        } else {
            ok(ex, out);
        }
    }

    /** The task after one more look: a step further, its last step kept. */
    private Job step(String id) {
        return id == null ? null : jobs.computeIfPresent(id, (k, j) ->
                new Job(j.api(), j.body(), j.steps(), Math.min(j.at() + 1, j.steps().size() - 1)));
    }

    private ObjectNode v2Task(String id, Job job) {
        ObjectNode t = Json.object();
        t.put("id", id);
        t.put("model", job.body().path("model").asString());
        t.put("status", job.status());
        t.put("created_at", 1785125529L);
        t.put("updated_at", 1785125529L + job.at());
        int duration = job.body().path("duration").asInt(5);
        boolean reference = false;
        for (JsonNode item : job.body().path("content")) {
            reference |= item.path("type").asString("").equals("video_url");
        }
        if (job.status().equals("failed")) {
            t.putObject("error").put("code", "1027").put("message", "output video contains sensitive content");
        }
        if (job.status().equals("succeeded")) {
            t.putObject("content").put("url", cdnUrl(id));
        }
        t.put("resolution", job.body().path("resolution").asString());
        t.put("duration", duration);
        boolean done = job.status().equals("succeeded");
        int input = done && reference ? referenceSeconds : 0;
        ObjectNode usage = t.putObject("usage");
        usage.put("total_seconds", done ? duration + input : 0);
        usage.put("input_seconds", input);
        usage.put("output_seconds", done ? duration : 0);
        usage.put("input_image_count", 0);
        t.put("ratio", job.body().path("ratio").asString("16:9"));
        t.put("task_type", "generation");
        t.put("modality", "video");
        return t;
    }

    private String cdnUrl(String id) {
        return baseUrl() + "/cdn/" + id + ".mp4?Expires=1756485966&OSSAccessKeyId=LTAI-upstream-secret&Signature=abc";
    }

    /** Result file {@code name}'s bytes: a pattern of its size, the same at every call. */
    byte[] result(String name) {
        byte[] bytes = new byte[resultBytes];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 + name.hashCode());
        }
        return bytes;
    }

    private void cdn(HttpExchange ex, String name) throws IOException {
        cdnHits.incrementAndGet();
        byte[] bytes = result(name);
        ex.getResponseHeaders().set("Content-Type", "video/mp4");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        ex.getResponseHeaders().set("X-Oss-Request-Id", "upstream-cdn-request");
        RangeFiles.send(ex, bytes);
    }

    static String message(int code) {
        return switch (code) {
            case 1002 -> "rate limit, please retry later";
            case 1004 -> "login fail: Please carry the API secret key in the 'Authorization' field";
            case 1008 -> "insufficient balance";
            case 1026 -> "video description contains sensitive content";
            case 1027 -> "output video contains sensitive content";
            case 2013 -> "invalid params, first_frame_image is not a valid image";
            case 2049 -> "invalid api key";
            default -> "internal error";
        };
    }

    /** V1: HTTP 200 and {@code base_resp}; V2: the code's HTTP status and MiniMax's OpenAI-style error. */
    private static void error(HttpExchange ex, boolean v2, int code, String message) throws IOException {
        if (!v2) {
            send(ex, 200, "{\"task_id\":\"\",\"base_resp\":{\"status_code\":" + code + ",\"status_msg\":\""
                    + message + "\"}}");
            return;
        }
        int status = switch (code) {
            case 1002 -> 429;
            case 1004, 2049 -> 401;
            case 1008 -> 402;
            case 1026, 1027 -> 422;
            case 2013 -> 400;
            default -> 500;
        };
        String type = switch (status) {
            case 429 -> "rate_limit_error";
            case 401 -> "authorized_error";
            case 402 -> "insufficient_balance_error";
            case 422 -> "unprocessable_entity_error";
            case 400 -> "bad_request_error";
            default -> "server_error";
        };
        send(ex, status, "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + " ("
                + code + ")\",\"http_code\":\"" + status + "\"},\"request_id\":\"021785229015510a2c883cf675b9804d\"}");
    }

    private static void ok(HttpExchange ex, ObjectNode out) throws IOException {
        ObjectNode base = out.putObject("base_resp");
        base.put("status_code", 0);
        base.put("status_msg", "success");
        send(ex, 200, Json.MAPPER.writeValueAsString(out));
    }

    private static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
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

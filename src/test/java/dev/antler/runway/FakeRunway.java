package dev.antler.runway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.testing.RangeFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runway on a real socket, in both wires. Runway's own API (runwayml/sdk-python): {@code POST /v1/{image_to_video|
 * text_to_video|video_to_video}} → {@code {id}}; {@code GET /v1/tasks/{id}} → the task object; {@code DELETE
 * /v1/tasks/{id}} → 204 (an unfinished task becomes CANCELLED, a finished one is gone); {@code GET
 * /v1/organization}. Every call needs {@code Authorization: Bearer} {@link #KEY} (else 401) and {@code
 * X-Runway-Version: 2024-11-06} (else 400), errors as {@code {"error": ...}}. DeerAPI's reverse format: {@code POST
 * /runway/pro/{action}} → {@code {code: 200, msg, data: {task_id, status: "0"}}}; {@code POST /runway/feed
 * {task_id}} → the data object, or {@code task_not_exist}. Each task follows a script, one step per look at it:
 * {@code 404} (not visible yet), PENDING, THROTTLED, {@code RUNNING:0.4}, SUCCEEDED, {@code FAILED:<failureCode>};
 * the last step stays. A success's video is an MP4 of {@link #seconds} seconds (its {@code moov} after its media
 * data) at {@code GET /cdn/{id}.mp4}, public, Range honoured. {@link #busy}: the next N calls answer 429.
 */
final class FakeRunway implements AutoCloseable {

    static final String KEY = "key_" + "0123456789abcdef".repeat(8);
    static final String VERSION = "2024-11-06";
    static final List<String> DEFAULT_SCRIPT = List.of("404", "PENDING", "RUNNING:0.4", "SUCCEEDED");

    record Job(String path, ObjectNode body, List<String> script, int step, int seconds, boolean cancelled) {

        String now() {
            return cancelled ? "CANCELLED" : script.get(Math.max(0, Math.min(step, script.size() - 1)));
        }

        Job next() {
            return new Job(path, body, script, step + 1, seconds, cancelled);
        }
    }

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Every request as {@code METHOD path}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The create bodies received, either wire. */
    final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
    /** The Authorization and X-Runway-Version headers of the creates, as {@code auth|version}. */
    final List<String> headers = new CopyOnWriteArrayList<>();
    final AtomicInteger busy = new AtomicInteger();
    /** The script of the next task created. */
    volatile List<String> script = DEFAULT_SCRIPT;
    /** The length of the next task's video; 0: its duration asked, else 5. */
    volatile int seconds;

    FakeRunway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String lastId() {
        return "rw-task-" + ids.get();
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
            send(ex, 401, "{\"error\":\"Incorrect API key provided\"}");
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, 429, "{\"error\":\"You have exceeded the rate limit\"}");
            return;
        }
        if (path.startsWith("/runway/")) {
            compat(ex, method, path);
            return;
        }
        if (!VERSION.equals(ex.getRequestHeaders().getFirst("X-Runway-Version"))) {
            send(ex, 400, "{\"error\":\"Invalid API Version\"}");
            return;
        }
        if (method.equals("POST") && path.matches("/v1/(image_to_video|text_to_video|video_to_video)")) {
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            if (!body.path("model").isString()) {
                send(ex, 400, "{\"error\":\"Validation of body failed\",\"issues\":[{\"code\":\"invalid_type\","
                        + "\"path\":[\"model\"],\"message\":\"Invalid input\"}],\"docUrl\":\"https://docs.dev.runwayml.com/api\"}");
                return;
            }
            if (body.path("promptText").asString("").contains("forbidden")) {
                send(ex, 400, "{\"error\":\"Validation of body failed\",\"issues\":[{\"code\":\"custom\",\"path\":"
                        + "[\"promptText\"],\"message\":\"Text did not pass moderation\"}],\"docUrl\":\"https://docs.dev.runwayml.com/api\"}");
                return;
            }
            String id = create(path, body, ex);
            send(ex, 200, "{\"id\":\"" + id + "\"}");
        } else if (method.equals("GET") && path.startsWith("/v1/tasks/")) {
            String id = path.substring("/v1/tasks/".length());
            Job job = jobs.computeIfPresent(id, (k, j) -> j.next());
            if (job == null || job.now().equals("404")) {
                send(ex, 404, "{\"error\":\"Task not found\"}");
                return;
            }
            send(ex, 200, Json.MAPPER.writeValueAsString(official(id, job)));
        } else if (method.equals("DELETE") && path.startsWith("/v1/tasks/")) {
            String id = path.substring("/v1/tasks/".length());
            Job job = jobs.get(id);
            if (job == null) {
                send(ex, 404, "{\"error\":\"Task not found\"}");
                return;
            }
            String status = job.now().split(":")[0];
            if (List.of("404", "PENDING", "THROTTLED", "RUNNING").contains(status)) {
                jobs.put(id, new Job(job.path(), job.body(), job.script(), job.step(), job.seconds(), true));
            } else {
                jobs.remove(id);
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        } else if (method.equals("GET") && path.equals("/v1/organization")) {
            send(ex, 200, "{\"creditBalance\":1000,\"tier\":{\"maxMonthlyCreditSpend\":10000,\"models\":{}}}");
        } else {
            send(ex, 404, "{\"error\":\"Not found\"}");
        }
    }

    private String create(String path, ObjectNode body, HttpExchange ex) {
        submitted.add(body);
        headers.add(ex.getRequestHeaders().getFirst("Authorization") + "|"
                + ex.getRequestHeaders().getFirst("X-Runway-Version"));
        String id = "rw-task-" + ids.incrementAndGet();
        int made = seconds > 0 ? seconds : body.path("duration").asInt(body.path("options").path("seconds").asInt(5));
        jobs.put(id, new Job(path, body, script, -1, made, false));
        return id;
    }

    private void compat(HttpExchange ex, String method, String path) throws IOException {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
        if (method.equals("POST") && path.matches("/runway/pro/(generate|video2video|act_one)")) {
            String id = create(path, body, ex);
            send(ex, 200, Json.MAPPER.writeValueAsString(envelope(compatData(id, jobs.get(id)))));
        } else if (method.equals("POST") && path.equals("/runway/feed")) {
            String id = body.path("task_id").asString("");
            Job job = jobs.computeIfPresent(id, (k, j) -> j.next());
            if (job == null || job.now().equals("404")) {
                send(ex, 200, "{\"code\":400,\"msg\":\"task_not_exist\",\"data\":null,\"exec_time\":0.01}");
                return;
            }
            send(ex, 200, Json.MAPPER.writeValueAsString(envelope(compatData(id, job))));
        } else {
            send(ex, 404, "{\"code\":404,\"msg\":\"not found\",\"data\":null}");
        }
    }

    private ObjectNode official(String id, Job job) {
        ObjectNode task = Json.object();
        task.put("id", id);
        task.put("createdAt", "2026-07-01T10:00:00.000Z");
        String[] step = job.now().split(":", 2);
        task.put("status", step[0]);
        switch (step[0]) {
            case "RUNNING" -> task.put("progress", Double.parseDouble(step[1]));
            case "SUCCEEDED" -> task.putArray("output").add(baseUrl() + "/cdn/" + id + ".mp4");
            case "FAILED" -> {
                task.put("failure", "The prompt did not pass content moderation.");
                task.put("failureCode", step.length > 1 ? step[1] : "INTERNAL");
            }
            default -> { }
        }
        return task;
    }

    private ObjectNode compatData(String id, Job job) {
        String status = job.now().split(":")[0];
        ObjectNode data = Json.object();
        data.put("task_id", id);
        data.put("state", "");
        data.put("status", switch (status) {
            case "RUNNING" -> "1";
            case "SUCCEEDED" -> "3";
            case "FAILED", "CANCELLED" -> "2";
            default -> "0";
        });
        data.put("prompt", job.body().path("prompt").asString(""));
        data.putNull("prompt_en");
        boolean done = status.equals("SUCCEEDED");
        data.put("video_url", done ? baseUrl() + "/cdn/" + id + ".mp4" : null);
        data.put("raw_video_url", done ? baseUrl() + "/cdn/" + id + ".mp4" : null);
        data.put("poster", done ? baseUrl() + "/cdn/" + id + "-poster.png" : null);
        data.put("last_frame", done ? baseUrl() + "/cdn/" + id + "-last.png" : null);
        data.put("msg", status.equals("FAILED") ? "generation failed" : null);
        data.put("point", "250");
        data.put("refund", status.equals("FAILED") ? "1" : "0");
        data.put("create_time", "1751364000");
        data.put("update_time", "1751364060");
        return data;
    }

    private static ObjectNode envelope(ObjectNode data) {
        ObjectNode root = Json.object();
        root.put("code", 200);
        root.put("msg", "成功");
        root.set("data", data);
        root.put("exec_time", 0.02);
        return root;
    }

    /** Result file {@code name}: the task's video (an MP4 of its seconds), or an image's bytes. */
    byte[] file(String name) {
        if (name.endsWith(".mp4")) {
            Job job = jobs.get(name.substring(0, name.length() - 4));
            return mp4(job == null ? 5 : job.seconds(), 3000);
        }
        return ("png of " + name).getBytes(StandardCharsets.UTF_8);
    }

    private void cdn(HttpExchange ex, String name) throws IOException {
        byte[] bytes = file(name);
        ex.getResponseHeaders().set("Content-Type", name.endsWith(".mp4") ? "video/mp4" : "image/png");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        RangeFiles.send(ex, bytes);
    }

    /** An MP4 of {@code seconds}: ftyp, then {@code mediaBytes} of media data, then moov/mvhd (timescale 1000). */
    static byte[] mp4(double seconds, int mediaBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(box("ftyp", ByteBuffer.allocate(16).put("isom".getBytes(StandardCharsets.ISO_8859_1))
                .putInt(0x200).put("isommp41".getBytes(StandardCharsets.ISO_8859_1)).array()));
        byte[] media = new byte[mediaBytes];
        for (int i = 0; i < media.length; i++) {
            media[i] = (byte) (i * 7);
        }
        out.writeBytes(box("mdat", media));
        ByteBuffer mvhd = ByteBuffer.allocate(100);
        mvhd.putInt(0); // version 0, flags
        mvhd.putInt(0).putInt(0); // creation, modification
        mvhd.putInt(1000).putInt((int) Math.round(seconds * 1000)); // timescale, duration
        mvhd.putInt(0x00010000).putShort((short) 0x0100); // rate, volume; the rest zeros
        out.writeBytes(box("moov", box("mvhd", mvhd.array())));
        return out.toByteArray();
    }

    private static byte[] box(String type, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length)
                .put(type.getBytes(StandardCharsets.ISO_8859_1)).put(body).array();
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

package dev.antler.midjourney;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A midjourney-proxy upstream on a real socket. Each task walks a schedule, one step each time it is
 * observed (fetch or list-by-condition): NOT_START → SUBMITTED → IN_PROGRESS → an end chosen by the
 * prompt: "fail" ends in FAILURE, "modal" in MODAL, "cancel" in CANCEL, anything else in SUCCESS (with an image and the
 * U1..U4/V1..V4/reroll/CustomZoom buttons). A prompt containing "banned" is refused with code 24. As in
 * midjourney-proxy, repeating an upscale answers code 21 with the first upscale's id; as in
 * midjourney-proxy-plus, CustomZoom answers code 21 with a new task waiting for /submit/modal. Tests may script
 * the next submits' answers ({@link #script}) and hold submits back ({@link #stall}) to play a slow upstream.
 */
final class FakeMidjourney implements AutoCloseable {

    static final String SECRET = "mj-secret-upstream-1";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

    private final HttpServer server;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(9000);
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<JsonNode> submits = new CopyOnWriteArrayList<>();
    volatile boolean busy;
    final AtomicInteger listCalls = new AtomicInteger();
    /** Result images: this many bytes (default: the small PNG), with or without a Content-Length. */
    volatile long imageBytes = -1;
    volatile boolean imageLengthDeclared = true;
    /** Set: the image answer stops after this many bytes until {@code imageResume} completes. */
    volatile long imagePauseAfter = -1;
    volatile java.util.concurrent.CompletableFuture<Void> imagePaused = new java.util.concurrent.CompletableFuture<>();
    volatile java.util.concurrent.CompletableFuture<Void> imageResume = new java.util.concurrent.CompletableFuture<>();
    /** Request headers of each image request. */
    final List<com.sun.net.httpserver.Headers> imageRequests = new CopyOnWriteArrayList<>();
    /** Scripted answers, taken one per submit before the normal handling (status and raw body). */
    private final java.util.Queue<Scripted> scripted = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Set: each submit waits for it before it is answered; with {@code stallAfterHead}, after the head went out. */
    volatile java.util.concurrent.CompletableFuture<Void> stall;
    volatile boolean stallAfterHead;
    /** Submitted actions by "parentId customId": a repeated upscale is answered with code 21 and the first task. */
    private final Map<String, String> upscales = new ConcurrentHashMap<>();

    private static final class Job {
        final String id;
        final String action;
        final String prompt;
        final String end;
        int step;

        Job(String id, String action, String prompt, String end) {
            this.id = id;
            this.action = action;
            this.prompt = prompt;
            this.end = end;
        }
    }

    private record Scripted(int status, String body) {}

    /** The next {@code times} submits are answered {@code status} with {@code body}. */
    void script(int times, int status, String body) {
        for (int i = 0; i < times; i++) {
            scripted.add(new Scripted(status, body));
        }
    }

    /** Holds every submit back until {@link #release}. */
    void stall() {
        stall = new java.util.concurrent.CompletableFuture<>();
    }

    void release() {
        java.util.concurrent.CompletableFuture<Void> held = stall;
        stall = null;
        if (held != null) {
            held.complete(null);
        }
    }

    FakeMidjourney() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Upstream ids handed out so far. */
    java.util.Set<String> upstreamIds() {
        return jobs.keySet();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        if (path.startsWith("/img/")) {
            image(ex);
            return;
        }
        if (!SECRET.equals(ex.getRequestHeaders().getFirst("mj-api-secret"))) {
            send(ex, 401, "{\"code\":4,\"description\":\"bad secret\"}");
            return;
        }
        byte[] in = ex.getRequestBody().readAllBytes();
        JsonNode body = in.length == 0 ? Json.object() : Json.MAPPER.readTree(in);
        String mjPath = path.substring(path.indexOf("/mj/"));
        if (mjPath.startsWith("/mj/submit/") || mjPath.equals("/mj/insight-face/swap")) {
            submits.add(body);
            java.util.concurrent.CompletableFuture<Void> held = stall;
            if (held != null) {
                if (stallAfterHead) {
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, 64);
                    ex.getResponseBody().flush();
                }
                held.join();
                if (stallAfterHead) {
                    ex.close();
                    return;
                }
            }
            Scripted next = scripted.poll();
            if (next != null) {
                send(ex, next.status(), next.body());
                return;
            }
            String prompt = body.path("prompt").asString("");
            if (prompt.contains("banned")) {
                send(ex, 200, "{\"code\":24,\"description\":\"可能包含敏感词\",\"properties\":{\"bannedWord\":\"banned\"}}");
                return;
            }
            String customId = body.path("customId").asString("");
            String existing = upscales.get(body.path("taskId").asString("") + " " + customId);
            if (existing != null) {
                Job job = jobs.get(existing);
                send(ex, 200, "{\"code\":21,\"description\":\"任务已存在\",\"result\":\"" + existing
                        + "\",\"properties\":{\"status\":\"" + (job.step > 3 ? "SUCCESS" : "IN_PROGRESS")
                        + "\",\"imageUrl\":\"\"}}");
                return;
            }
            String id = String.valueOf(ids.incrementAndGet());
            if (customId.startsWith("MJ::CustomZoom::")) {
                // midjourney-proxy-plus: a new task that waits in MODAL for /submit/modal
                jobs.put(id, new Job(id, "CUSTOM_ZOOM", prompt, "MODAL"));
                send(ex, 200, "{\"code\":21,\"description\":\"Waiting for window confirm\",\"result\":\"" + id
                        + "\",\"properties\":{\"finalPrompt\":\"a fox\",\"remix\":true}}");
                return;
            }
            String action = mjPath.contains("action") ? "UPSCALE" : "IMAGINE";
            if (customId.contains("upsample")) {
                upscales.put(body.path("taskId").asString("") + " " + customId, id);
            }
            String end = prompt.contains("fail") ? "FAILURE" : prompt.contains("modal") ? "MODAL"
                    : prompt.contains("cancel") ? "CANCEL" : "SUCCESS";
            jobs.put(id, new Job(id, action, prompt, end));
            send(ex, 200, "{\"code\":1,\"description\":\"提交成功\",\"result\":\"" + id
                    + "\",\"properties\":{\"discordInstanceId\":\"1\"}}");
        } else if (mjPath.equals("/mj/task/list-by-condition")) {
            listCalls.incrementAndGet();
            if (busy) {
                send(ex, 429, "{\"code\":30,\"description\":\"busy\"}");
                return;
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (JsonNode id : body.path("ids")) {
                Job job = jobs.get(id.asString(""));
                if (job != null) {
                    out.add(observe(job));
                }
            }
            send(ex, 200, Json.MAPPER.writeValueAsString(out));
        } else if (mjPath.endsWith("/fetch")) {
            Job job = jobs.get(mjPath.split("/")[3]);
            send(ex, 200, job == null ? "" : Json.MAPPER.writeValueAsString(observe(job)));
        } else if (mjPath.endsWith("/image-seed")) {
            send(ex, 200, "{\"code\":1,\"description\":\"成功\",\"result\":\"424242\"}");
        } else {
            send(ex, 404, "{\"code\":3,\"description\":\"not found\"}");
        }
    }

    private void image(HttpExchange ex) throws IOException {
        imageRequests.add(ex.getRequestHeaders());
        long size = imageBytes < 0 ? PNG.length : imageBytes;
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.sendResponseHeaders(200, imageLengthDeclared ? size : 0);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 7);
        try (var out = ex.getResponseBody()) {
            if (imageBytes < 0) {
                out.write(PNG);
                return;
            }
            long written = 0;
            while (written < size) {
                if (imagePauseAfter >= 0 && written >= imagePauseAfter && !imagePaused.isDone()) {
                    out.flush();
                    imagePaused.complete(null);
                    imageResume.join();
                }
                int n = (int) Math.min(chunk.length, size - written);
                out.write(chunk, 0, n);
                written += n;
            }
        } catch (IOException gone) {
            // the gateway cut the image off
        }
    }

    private synchronized ObjectNode observe(Job job) {
        String[] schedule = {"NOT_START", "SUBMITTED", "IN_PROGRESS", job.end};
        String status = schedule[Math.min(job.step, 3)];
        job.step++;
        ObjectNode t = Json.object();
        t.put("id", job.id);
        t.put("action", job.action);
        t.put("prompt", job.prompt);
        t.put("promptEn", job.prompt);
        t.put("description", "/imagine " + job.prompt);
        t.put("status", status);
        t.put("progress", switch (status) {
            case "IN_PROGRESS" -> "50%";
            case "SUCCESS", "FAILURE" -> "100%";
            default -> "0%";
        });
        t.put("submitTime", 1_700_000_000_000L);
        t.put("startTime", job.step > 2 ? 1_700_000_001_000L : 0);
        t.put("failReason", status.equals("FAILURE") ? "Banned prompt detected by the moderator" : "");
        t.put("imageUrl", status.equals("SUCCESS") ? baseUrl() + "/img/" + job.id + ".png" : "");
        ArrayNode buttons = t.putArray("buttons");
        if (status.equals("SUCCESS") && job.action.equals("IMAGINE")) {
            for (int i = 1; i <= 4; i++) {
                button(buttons, "MJ::JOB::upsample::" + i + "::hash" + job.id, "U" + i);
                button(buttons, "MJ::JOB::variation::" + i + "::hash" + job.id, "V" + i);
            }
            button(buttons, "MJ::JOB::reroll::0::hash" + job.id + "::SOLO", "");
            button(buttons, "MJ::CustomZoom::hash" + job.id, "Custom Zoom");
        }
        return t;
    }

    private static void button(ArrayNode buttons, String customId, String label) {
        ObjectNode b = buttons.addObject();
        b.put("customId", customId);
        b.put("emoji", label.isEmpty() ? "🔄" : "");
        b.put("label", label);
        b.put("type", 2);
        b.put("style", 2);
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        // An empty answer (midjourney-proxy's fetch of an unknown task) goes out chunked with no chunks: with
        // length -1 ("no body"), the JDK server now and then answered a later request on the same connection
        // with this empty response.
        ex.sendResponseHeaders(status, bytes.length == 0 ? 0 : bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}

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
 * U1..U4/V1..V4/reroll buttons). A prompt containing "banned" is refused with code 24.
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
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, PNG.length);
            ex.getResponseBody().write(PNG);
            ex.close();
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
            String prompt = body.path("prompt").asString("");
            if (prompt.contains("banned")) {
                send(ex, 200, "{\"code\":24,\"description\":\"可能包含敏感词\",\"properties\":{\"bannedWord\":\"banned\"}}");
                return;
            }
            String id = String.valueOf(ids.incrementAndGet());
            String action = mjPath.contains("action") ? "UPSCALE" : "IMAGINE";
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
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.antler.flux;

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
import tools.jackson.databind.node.ObjectNode;

/**
 * BFL's API on real sockets, in its documented wire format: a global host taking {@code POST /v1/{model}} with
 * {@code x-key} and answering {@code {id, polling_url, cost, input_mp, output_mp}}, whose {@code polling_url} names a
 * regional host — another port, under {@code /eu2} — that answers {@code GET /eu2/v1/get_result?id=} with
 * {@code {id, status, result, progress, details, preview}}: {@code Pending} (progress 0.5) on the first poll, then
 * the task's outcome ({@link #outcome}: {@code Ready}, {@code Request Moderated}, {@code Content Moderated},
 * {@code Error}); a Ready result's {@code sample} is a signed delivery link on the regional host, served without a key
 * until {@link #expired} (then 403, as BFL's delivery storage answers). Errors are FastAPI's {@code {"detail": ...}}.
 * Knobs: {@link #outOfCredit} (402), {@link #busy} (the next N calls 429), {@link #refuse} (422 with a validation
 * detail). The global host's own {@code /v1/get_result} answers {@code Task not found}: BFL says to poll the
 * returned URL.
 */
final class FakeBfl implements AutoCloseable {

    static final String KEY = "bfl-key-test-0001";

    record Job(String model, JsonNode body, String outcome, int polls) {}

    private final HttpServer global;
    private final HttpServer regional;
    final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Every request as {@code METHOD host-name path}, host-name {@code global} or {@code regional}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<JsonNode> submitted = new CopyOnWriteArrayList<>();
    /** The {@code x-key} headers seen. */
    final List<String> keys = new CopyOnWriteArrayList<>();
    final AtomicInteger deliveries = new AtomicInteger();
    volatile String outcome = "Ready";
    volatile boolean outOfCredit;
    volatile boolean refuse;
    volatile boolean expired;
    final AtomicInteger busy = new AtomicInteger();
    volatile String lastId;

    FakeBfl() throws IOException {
        global = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        global.createContext("/", ex -> handle(ex, "global"));
        global.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        global.start();
        regional = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        regional.createContext("/", ex -> handle(ex, "regional"));
        regional.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        regional.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + global.getAddress().getPort();
    }

    String regionalUrl() {
        return "http://127.0.0.1:" + regional.getAddress().getPort();
    }

    /** The image bytes of task {@code id}: a pattern, the same at every call. */
    static byte[] image(String id) {
        byte[] bytes = new byte[3000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 + id.hashCode());
        }
        return bytes;
    }

    private void handle(HttpExchange ex, String host) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + host + " " + path);
        if (host.equals("regional") && path.startsWith("/delivery/")) {
            delivery(ex, path.substring("/delivery/".length()));
            return;
        }
        String key = ex.getRequestHeaders().getFirst("x-key");
        keys.add(String.valueOf(key));
        if (!KEY.equals(key)) {
            send(ex, 403, "{\"detail\":\"Not authenticated\"}");
            return;
        }
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(ex, 429, "{\"detail\":\"You have exceeded the number of allowed concurrent tasks.\"}");
            return;
        }
        if (ex.getRequestMethod().equals("GET") && path.equals("/v1/credits") && host.equals("global")) {
            send(ex, 200, "{\"credits\":1234.5}");
        } else if (ex.getRequestMethod().equals("POST") && host.equals("global") && path.matches("/v1/[a-z0-9.-]+")) {
            submit(ex, path.substring("/v1/".length()));
        } else if (ex.getRequestMethod().equals("GET") && path.equals("/v1/get_result")) {
            send(ex, 200, "{\"id\":\"" + query(ex) + "\",\"status\":\"Task not found\"}");
        } else if (ex.getRequestMethod().equals("GET") && host.equals("regional") && path.equals("/eu2/v1/get_result")) {
            result(ex, query(ex));
        } else {
            send(ex, 404, "{\"detail\":\"Not Found\"}");
        }
    }

    private void submit(HttpExchange ex, String model) throws IOException {
        JsonNode body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
        submitted.add(body);
        if (outOfCredit) {
            send(ex, 402, "{\"detail\":\"Insufficient credits. Please top up your account at https://dashboard.bfl.ai.\"}");
            return;
        }
        if (refuse) {
            send(ex, 422, "{\"detail\":[{\"type\":\"less_than_equal\",\"loc\":[\"body\",\"safety_tolerance\"],"
                    + "\"msg\":\"Input should be less than or equal to 5\",\"input\":6}]}");
            return;
        }
        String id = UUID.randomUUID().toString();
        lastId = id;
        jobs.put(id, new Job(model, body, outcome, 0));
        ObjectNode answer = Json.object();
        answer.put("id", id);
        answer.put("polling_url", regionalUrl() + "/eu2/v1/get_result?id=" + id);
        answer.put("cost", 3.0);
        answer.put("input_mp", 0.0);
        answer.put("output_mp", 1.05);
        send(ex, 200, Json.MAPPER.writeValueAsString(answer));
    }

    private void result(HttpExchange ex, String id) throws IOException {
        Job job = jobs.computeIfPresent(id, (k, j) -> new Job(j.model(), j.body(), j.outcome(), j.polls() + 1));
        if (job == null) {
            send(ex, 404, "{\"id\":\"" + id + "\",\"status\":\"Task not found\"}");
            return;
        }
        ObjectNode answer = Json.object();
        answer.put("id", id);
        if (job.polls() < 2) {
            answer.put("status", "Pending");
            answer.putNull("result");
            answer.put("progress", 0.5);
        } else {
            answer.put("status", job.outcome());
            if (job.outcome().equals("Ready")) {
                ObjectNode result = answer.putObject("result");
                result.put("sample", regionalUrl() + "/delivery/" + id + ".jpeg?se=2025-01-15T10%3A40&sig=s3cr3t");
                result.put("prompt", job.body().path("prompt").asString(""));
                result.put("seed", 1234567890L);
                result.put("start_time", 1736937000.25);
                result.put("end_time", 1736937004.75);
                result.put("duration", 4.5);
            } else {
                answer.putNull("result");
                answer.putObject("details").putArray("Moderation Reasons").add("Derivative Works Filter");
            }
            answer.putNull("progress");
        }
        answer.putNull("preview");
        send(ex, 200, Json.MAPPER.writeValueAsString(answer));
    }

    private void delivery(HttpExchange ex, String name) throws IOException {
        deliveries.incrementAndGet();
        if (expired || !"se=2025-01-15T10%3A40&sig=s3cr3t".equals(ex.getRequestURI().getRawQuery())) {
            send(ex, 403, "<Error><Code>AuthenticationFailed</Code></Error>");
            return;
        }
        byte[] bytes = image(name.replace(".jpeg", ""));
        ex.getResponseHeaders().set("Content-Type", "image/jpeg");
        ex.getResponseHeaders().set("x-ms-request-id", "blob-req-1");
        ex.sendResponseHeaders(200, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String query(HttpExchange ex) {
        String query = ex.getRequestURI().getQuery();
        return query != null && query.startsWith("id=") ? query.substring(3) : "";
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
        global.stop(0);
        regional.stop(0);
    }
}

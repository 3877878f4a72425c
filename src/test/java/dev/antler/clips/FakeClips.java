package dev.antler.clips;

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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The clips upstream on a real socket: {@code POST /v {"seconds": n}} answers {@code {"id": "v-1"}} (with
 * {@code "seconds": m} when it caps the clip at {@link #maxSeconds});
 * {@code GET /v/{id}} answers the clip's state, which the test moves ({@link #running}, {@link #finish},
 * {@link #fail}). Both want {@code Authorization: Bearer} with the channel's key.
 */
final class FakeClips implements AutoCloseable {

    static final String KEY = "clips-upstream-key-0001";

    private record Clip(int seconds, String status, long made, String error) {}

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Clip> clips = new ConcurrentHashMap<>();
    /** Every request, as {@code METHOD path}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Set: a longer clip is accepted for this many seconds, and the answer says so. */
    volatile int maxSeconds = -1;
    /** The seconds asked by each submit. */
    final List<Integer> submitted = new CopyOnWriteArrayList<>();

    FakeClips() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The upstream id of the latest clip. */
    String lastId() {
        return "v-" + ids.get();
    }

    void running(String id) {
        clips.computeIfPresent(id, (k, c) -> new Clip(c.seconds(), "running", 0, null));
    }

    void finish(String id, long secondsMade) {
        clips.computeIfPresent(id, (k, c) -> new Clip(c.seconds(), "succeeded", secondsMade, null));
    }

    void fail(String id, String error) {
        clips.computeIfPresent(id, (k, c) -> new Clip(c.seconds(), "failed", 0, error));
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "{\"error\":\"bad key\"}");
            return;
        }
        if (ex.getRequestMethod().equals("POST") && path.equals("/v")) {
            JsonNode body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            int seconds = body.path("seconds").asInt();
            submitted.add(seconds);
            String id = "v-" + ids.incrementAndGet();
            boolean capped = maxSeconds > 0 && seconds > maxSeconds;
            clips.put(id, new Clip(capped ? maxSeconds : seconds, "queued", 0, null));
            send(ex, 200, "{\"id\":\"" + id + "\"" + (capped ? ",\"seconds\":" + maxSeconds : "") + "}");
        } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/v/")) {
            Clip clip = clips.get(path.substring(3));
            if (clip == null) {
                send(ex, 404, "{\"error\":\"no such clip\"}");
                return;
            }
            ObjectNode view = Json.object();
            view.put("status", clip.status());
            view.put("seconds", clip.seconds());
            view.put("seconds_made", clip.made());
            if (clip.error() != null) {
                view.put("error", clip.error());
            }
            send(ex, 200, Json.MAPPER.writeValueAsString(view));
        } else {
            send(ex, 404, "{\"error\":\"not found\"}");
        }
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

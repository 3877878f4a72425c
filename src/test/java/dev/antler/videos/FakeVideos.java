package dev.antler.videos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Videos upstream on a real socket: create (JSON or multipart) answers a queued video; retrieve shows
 * the state the test moves ({@link #progress}, {@link #finish}, {@link #fail}); {@code /content} sends
 * {@link #contentBytes} generated on the fly (byte i is {@code i % 251}), honouring {@code Range}; delete and
 * remix; {@link #busy} answers 429. Every call wants the channel's key as a bearer token. The {@code thumbnail}
 * variant is {@link #THUMBNAIL} as image/webp; an {@link #expire}d video's content is a 404; a content download can
 * be held halfway ({@link #pauseAfterBytes}) for a heap measurement.
 */
final class FakeVideos implements AutoCloseable {

    static final String KEY = "sk-videos-upstream-key-0001";
    static final byte[] THUMBNAIL = "RIFF-thumbnail-WEBP".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final Pattern FORM_FIELD = Pattern.compile(
            "name=\"(model|seconds|size|prompt)\"[^\\r]*\\r\\n(?:[^\\r]+\\r\\n)*\\r\\n([^\\r]*)");

    private record Video(String model, String seconds, String size, String status, int progress, String made,
                         String error) {}

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Video> videos = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The content type of each create. */
    final List<String> createTypes = new CopyOnWriteArrayList<>();
    /** Multipart bodies received, as text. */
    final List<String> forms = new CopyOnWriteArrayList<>();
    volatile long contentBytes = 1000;
    volatile boolean busy;
    /** Set: the create answer says this many seconds. */
    volatile String acceptedSeconds;
    /** Bytes of content written so far, over all downloads. */
    final AtomicInteger contentWrites = new AtomicInteger();
    /** Content requests made with the channel's key, as {@code <upstream id>/<variant>}. */
    final List<String> contentRequests = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> expired = ConcurrentHashMap.newKeySet();
    /** Set (>= 0): a content download stops after this many bytes until {@link #resume} completes. */
    volatile long pauseAfterBytes = -1;
    final java.util.concurrent.CompletableFuture<Void> paused = new java.util.concurrent.CompletableFuture<>();
    final java.util.concurrent.CompletableFuture<Void> resume = new java.util.concurrent.CompletableFuture<>();

    FakeVideos() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String lastId() {
        return "vid_up_" + ids.get();
    }

    void progress(String id, int progress) {
        videos.computeIfPresent(id, (k, v) -> new Video(v.model(), v.seconds(), v.size(), "in_progress", progress,
                null, null));
    }

    void finish(String id, String secondsMade) {
        videos.computeIfPresent(id, (k, v) -> new Video(v.model(), v.seconds(), v.size(), "completed", 100,
                secondsMade, null));
    }

    void fail(String id, String message) {
        videos.computeIfPresent(id, (k, v) -> new Video(v.model(), v.seconds(), v.size(), "failed", 0, null, message));
    }

    /** The upstream no longer has the video's content (past its expires_at). */
    void expire(String id) {
        expired.add(id);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        requests.add(method + " " + ex.getRequestURI());
        if (!("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "{\"error\":{\"message\":\"bad key\",\"code\":\"invalid_api_key\"}}");
            return;
        }
        if (busy) {
            send(ex, 429, "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        String[] parts = path.split("/"); // "", v1, videos, id, action
        if (method.equals("POST") && path.equals("/v1/videos")) {
            create(ex);
        } else if (method.equals("POST") && parts.length == 5 && parts[4].equals("remix")) {
            Video source = videos.get(parts[3]);
            if (source == null) {
                send(ex, 404, "{\"error\":{\"message\":\"no such video\",\"code\":\"not_found\"}}");
                return;
            }
            String id = "vid_up_" + ids.incrementAndGet();
            videos.put(id, new Video(source.model(), source.seconds(), source.size(), "queued", 0, null, null));
            send(ex, 200, view(id));
        } else if (method.equals("GET") && parts.length == 5 && parts[4].equals("content")) {
            content(ex, parts[3]);
        } else if (parts.length == 4 && videos.containsKey(parts[3])) {
            if (method.equals("DELETE")) {
                videos.remove(parts[3]);
                send(ex, 200, "{\"id\":\"" + parts[3] + "\",\"object\":\"video.deleted\",\"deleted\":true}");
            } else {
                send(ex, 200, view(parts[3]));
            }
        } else {
            send(ex, 404, "{\"error\":{\"message\":\"not found\",\"code\":\"not_found\"}}");
        }
    }

    private void create(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        createTypes.add(type);
        byte[] body = ex.getRequestBody().readAllBytes();
        String model = "sora-2";
        String seconds = null;
        String size = "720x1280";
        if (type.startsWith("multipart/")) {
            String text = new String(body, StandardCharsets.ISO_8859_1);
            forms.add(text);
            Matcher m = FORM_FIELD.matcher(text);
            while (m.find()) {
                switch (m.group(1)) {
                    case "model" -> model = m.group(2);
                    case "seconds" -> seconds = m.group(2);
                    case "size" -> size = m.group(2);
                    default -> { }
                }
            }
        } else {
            JsonNode json = Json.MAPPER.readTree(body);
            model = json.path("model").asString(model);
            seconds = json.path("seconds").isMissingNode() ? null : json.path("seconds").asString();
            size = json.path("size").asString(size);
        }
        if (seconds == null) {
            seconds = model.startsWith("veo") ? "8" : "4"; // Veo's clip length when none is asked; Sora's
        }
        String id = "vid_up_" + ids.incrementAndGet();
        videos.put(id, new Video(model, acceptedSeconds != null ? acceptedSeconds : seconds, size, "queued", 0, null,
                null));
        send(ex, 200, view(id));
    }

    private String view(String id) {
        Video v = videos.get(id);
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("object", "video");
        out.put("model", v.model());
        out.put("status", v.status());
        out.put("progress", v.progress());
        out.put("created_at", 1_760_000_000L);
        out.put("seconds", v.made() != null ? v.made() : v.seconds());
        out.put("size", v.size());
        if (v.status().equals("completed")) {
            out.put("completed_at", 1_760_000_100L);
            out.put("expires_at", 1_760_086_500L);
        }
        if (v.error() != null) {
            out.putObject("error").put("code", "moderation_blocked").put("message", v.error());
        } else {
            out.putNull("error");
        }
        return Json.MAPPER.writeValueAsString(out);
    }

    private void content(HttpExchange ex, String id) throws IOException {
        Video v = videos.get(id);
        String query = ex.getRequestURI().getQuery();
        String variant = query != null && query.startsWith("variant=") ? query.substring("variant=".length()) : "video";
        contentRequests.add(id + "/" + variant);
        if (v == null || !v.status().equals("completed") || expired.contains(id)) {
            send(ex, 404, "{\"error\":{\"message\":\"not ready\",\"code\":\"not_found\"}}");
            return;
        }
        if (variant.equals("thumbnail")) {
            ex.getResponseHeaders().set("Content-Type", "image/webp");
            ex.sendResponseHeaders(200, THUMBNAIL.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(THUMBNAIL);
            }
            return;
        }
        long total = contentBytes;
        long start = 0;
        long end = total - 1;
        String range = ex.getRequestHeaders().getFirst("Range");
        int status = 200;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? total - 1 : Math.min(total - 1, Long.parseLong(m.group(2)));
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + total);
            }
        }
        ex.getResponseHeaders().set("Content-Type", "video/mp4");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        ex.getResponseHeaders().set("X-Upstream-Secret", "internal-host-17");
        ex.sendResponseHeaders(status, end - start + 1);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = ex.getResponseBody()) {
            long at = start;
            while (at <= end) {
                int n = (int) Math.min(chunk.length, end - at + 1);
                for (int i = 0; i < n; i++) {
                    chunk[i] = (byte) ((at + i) % 251);
                }
                out.write(chunk, 0, n);
                contentWrites.addAndGet(n);
                at += n;
                if (pauseAfterBytes >= 0 && at >= pauseAfterBytes && !paused.isDone()) {
                    out.flush();
                    paused.complete(null);
                    resume.join();
                }
            }
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

package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kling's results through the gateway: every answer names the gateway's links, never Kling's host; a link serves
 * the bytes (Range too) streamed from Kling's CDN, or from the gateway's copy with mirroring on (the CDN asked
 * once); a wrong token is a 404. With a public base URL Kling calls back, and the callback completes the task.
 */
class KlingLinksTest {

    private static final long OPENING = Usd.parse("10");
    private static final long V1_STD_SECOND = Usd.parse("0.028");

    private Path directory;
    private FakeKling upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-kling-links-");
        upstream = new FakeKling();
    }

    private void startGateway(String mirror) {
        gw = GatewayHarness.start("""
                channels: [{ name: kling, type: kling, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                mirror: %s
                """.formatted(upstream.baseUrl(), FakeKling.KEY, TestUsers.key("alice"), TestUsers.key("bob"),
                mirror));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        upstream.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Submits a 5 s text2video and reads it until it succeeds; the succeeded answer's data. */
    private JsonNode completedVideo() {
        HttpResponse<String> created = gw.post("/kling/v1/videos/text2video", TestUsers.key("alice"),
                "{\"prompt\": \"a heron\", \"duration\": \"5\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(created.body()).path("data").path("task_id").asString();
        gw.awaitLedger(); // the charge is on the task row before it is read
        HttpResponse<String> first = gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice"));
        HttpResponse<String> done = gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice"));
        assertThat(done.body()).doesNotContain(upstream.baseUrl()).doesNotContain("/cdn/");
        JsonNode data = Json.MAPPER.readTree(done.body()).path("data");
        assertThat(data.path("task_status").asString()).as(first.body() + " then " + upstream.requests)
                .isEqualTo("succeed");
        return data;
    }

    private HttpResponse<byte[]> download(String url, String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        try {
            return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aResultLinkStreamsKlingsFileThroughTheGateway() {
        startGateway("{ enabled: false }");
        JsonNode data = completedVideo();
        JsonNode video = data.path("task_result").path("videos").get(0);
        String link = video.path("url").asString();
        assertThat(link).startsWith(gw.baseUrl() + "/results/" + data.path("task_id").asString() + "/");
        assertThat(video.path("id").asString()).as("Kling's video id, for video-extend and lip-sync")
                .isEqualTo("vid-" + upstream.lastId());
        byte[] expected = upstream.result(upstream.lastId());

        HttpResponse<byte[]> whole = download(link, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(expected);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(whole.headers().firstValue("X-Cdn-Host")).as("only content headers are forwarded").isEmpty();

        HttpResponse<byte[]> part = download(link, "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(expected, 100, 200));
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + expected.length);
        assertThat(upstream.cdnHits.get()).isEqualTo(2);

        String forged = link.substring(0, link.lastIndexOf('/', link.lastIndexOf('/') - 1)) + "/"
                + "0".repeat(32) + "/0";
        assertThat(download(forged, null).statusCode()).isEqualTo(404);
        assertThat(download(link.substring(0, link.length() - 1) + "1", null).statusCode())
                .as("no second video").isEqualTo(404);

        HttpResponse<String> list = gw.get("/kling/v1/videos/text2video?pageNum=1&pageSize=10", TestUsers.key("alice"));
        assertThat(list.body()).contains(link).doesNotContain(upstream.baseUrl());

        String handedOutEarlier = link.replace("/results/", "/kling/results/");
        assertThat(download(handedOutEarlier, null).body()).as("links of the earlier form still serve")
                .isEqualTo(expected);
    }

    @Test
    void imageLinksServeEachImage() {
        startGateway("{ enabled: false }");
        HttpResponse<String> created = gw.post("/kling/v1/images/generations", TestUsers.key("alice"),
                "{\"prompt\": \"a heron\", \"n\": 2}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(created.body()).path("data").path("task_id").asString();
        gw.awaitLedger();
        gw.get("/kling/v1/images/generations/" + id, TestUsers.key("alice"));
        HttpResponse<String> done = gw.get("/kling/v1/images/generations/" + id, TestUsers.key("alice"));
        assertThat(done.body()).doesNotContain(upstream.baseUrl());
        JsonNode images = Json.MAPPER.readTree(done.body()).path("data").path("task_result").path("images");
        assertThat(images).hasSize(2);
        HttpResponse<byte[]> second = download(images.get(1).path("url").asString(), null);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(upstream.result("i1-" + upstream.lastId()));
    }

    @Test
    void withMirroringOnALinkServesTheCopyAndKlingsCdnIsAskedOnce() throws Exception {
        startGateway("{ enabled: true, directory: \"" + directory.resolve("files") + "\" }");
        String link = completedVideo().path("task_result").path("videos").get(0).path("url").asString();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !copied()) {
            Thread.sleep(20);
        }
        assertThat(copied()).as("the copy is made in the background").isTrue();
        byte[] expected = upstream.result(upstream.lastId());
        assertThat(download(link, null).body()).isEqualTo(expected);
        HttpResponse<byte[]> part = download(link, "bytes=-10");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(expected, expected.length - 10, expected.length));
        assertThat(upstream.cdnHits.get()).as("copied once, then served from the copy").isEqualTo(1);
    }

    @Test
    void klingCallsBackAndTheTaskCompletesWithoutAPoll() throws Exception {
        startGateway("{ enabled: false, public_base_url: \"https://gw.example.test\" }");
        HttpResponse<String> created = gw.post("/kling/v1/videos/text2video", TestUsers.key("alice"),
                "{\"prompt\": \"a heron\", \"duration\": \"5\", \"callback_url\": \"https://client.example.test/hook\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(created.body()).path("data").path("task_id").asString();
        String callback = upstream.submitted.get(0).path("callback_url").asString();
        assertThat(callback).startsWith("https://gw.example.test/kling/callback/").doesNotContain("client.example");
        String path = URI.create(callback).getPath();

        String kt = upstream.lastId();
        upstream.jobs.computeIfPresent(kt, (k, j) -> new FakeKling.Job(j.path(), j.body(), "succeed", false, 2));
        String forged = path.substring(0, path.lastIndexOf('-') + 1) + "0".repeat(32);
        assertThat(post(gw.baseUrl() + forged, kt)).isEqualTo(404);
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 5 * V1_STD_SECOND);

        assertThat(post(gw.baseUrl() + path, kt)).isEqualTo(200);
        assertThat(upstream.requests).noneMatch(r -> r.startsWith("GET /v1/"));
        HttpResponse<String> done = gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice"));
        JsonNode data = Json.MAPPER.readTree(done.body()).path("data");
        assertThat(data.path("task_status").asString()).isEqualTo("succeed");
        assertThat(data.path("task_result").path("videos").get(0).path("url").asString())
                .startsWith("https://gw.example.test/results/" + id + "/");
        assertThat(upstream.requests).as("a finished task is not asked again").noneMatch(r -> r.startsWith("GET /v1/"));
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 5 * V1_STD_SECOND);
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    private boolean copied() throws java.io.IOException {
        Path files = directory.resolve("files");
        if (!Files.isDirectory(files)) {
            return false;
        }
        try (var list = Files.list(files)) {
            return list.map(p -> p.getFileName().toString()).anyMatch(n -> n.endsWith(".mp4") && !n.startsWith("."));
        }
    }

    private int post(String url, String upstreamId) throws Exception {
        return gw.http().send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(upstream.dataJson(upstreamId)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}

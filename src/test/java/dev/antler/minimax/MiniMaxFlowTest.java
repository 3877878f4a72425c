package dev.antler.minimax;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** MiniMax over real sockets: MiniMax's own bodies and answers, the gateway's ids and links, money in the store. */
class MiniMaxFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long HAILUO_02_768P_10S = Usd.parse("0.56");
    private static final long H3_2K_SECOND = Usd.parse("0.13");

    private FakeMiniMax upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeMiniMax();
        gw = GatewayHarness.start("""
                channels: [{ name: mm, type: minimax, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), FakeMiniMax.KEY, TestUsers.key("alice"), TestUsers.key("bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private String submitV1(String body) {
        HttpResponse<String> answer = gw.post("/minimax/v1/video_generation", TestUsers.key("alice"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("base_resp").path("status_code").asInt(-1)).isZero();
        assertThat(root.path("base_resp").path("status_msg").asString()).isEqualTo("success");
        String id = root.path("task_id").asString();
        assertThat(id).as("the gateway's id, digits as MiniMax's").matches("[1-9]\\d{17}");
        assertThat(answer.body()).doesNotContain(upstream.lastId());
        gw.awaitLedger();
        return id;
    }

    private JsonNode get(String user, String path) {
        HttpResponse<String> answer = gw.get(path, TestUsers.key(user));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertNothingOfTheUpstream(answer.body());
        return Json.MAPPER.readTree(answer.body());
    }

    private void assertNothingOfTheUpstream(String text) {
        assertThat(text).doesNotContain(upstream.baseUrl()).doesNotContain("OSSAccessKeyId").doesNotContain("/cdn/")
                .doesNotContain(FakeMiniMax.KEY);
        for (String id : upstream.jobs.keySet()) {
            assertThat(text).doesNotContain(id).doesNotContain(FakeMiniMax.fileId(id));
        }
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void aV1VideoRunsToCompletionWithItsFileRetrievedThroughTheGatewaysLink() throws Exception {
        String id = submitV1("{\"model\":\"MiniMax-Hailuo-02\",\"prompt\":\"a heron at dawn [Pan left]\","
                + "\"duration\":10,\"prompt_optimizer\":false,\"aigc_watermark\":true}");
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model").asString()).isEqualTo("MiniMax-Hailuo-02");
        assertThat(sent.path("duration").asInt()).isEqualTo(10);
        assertThat(sent.path("resolution").asString()).as("the default filled in: what is priced is made")
                .isEqualTo("768P");
        assertThat(sent.path("prompt_optimizer").asBoolean(true)).isFalse();
        assertThat(sent.path("aigc_watermark").asBoolean()).as("unchecked fields pass").isTrue();
        assertThat(store.ledger("alice", "charge")).containsExactly(-HAILUO_02_768P_10S);

        String query = "/minimax/v1/query/video_generation?task_id=" + id;
        JsonNode queued = get("alice", query);
        assertThat(queued.path("task_id").asString()).isEqualTo(id);
        assertThat(queued.path("status").asString()).isEqualTo("Queueing");
        assertThat(queued.path("file_id").asString()).isEmpty();
        assertThat(get("alice", query).path("status").asString()).isEqualTo("Processing");
        JsonNode done = get("alice", query);
        assertThat(done.path("status").asString()).isEqualTo("Success");
        assertThat(done.path("file_id").asString()).as("the gateway's file id").isEqualTo(id);
        assertThat(done.path("video_width").asInt()).isEqualTo(1366);
        assertThat(done.path("video_height").asInt()).isEqualTo(768);
        assertThat(done.path("base_resp").path("status_code").asInt(-1)).isZero();
        assertThat(upstream.requests).contains("GET /v1/files/retrieve?file_id=" + FakeMiniMax.fileId(upstream.lastId()));

        JsonNode file = get("alice", "/minimax/v1/files/retrieve?file_id=" + id).path("file");
        assertThat(file.path("file_id").isIntegralNumber()).isTrue();
        assertThat(file.path("file_id").asString()).isEqualTo(id);
        assertThat(file.path("bytes").asLong()).isEqualTo(3000);
        assertThat(file.path("purpose").asString()).isEqualTo("video_generation");
        assertThat(file.path("filename").asString()).isEqualTo("output.mp4");
        String link = file.path("download_url").asString();
        assertThat(link).startsWith(gw.baseUrl() + "/results/" + id + "/");

        HttpResponse<byte[]> video = gw.http().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.body()).isEqualTo(upstream.result(upstream.lastId() + ".mp4"));
        assertThat(video.headers().firstValue("X-Oss-Request-Id")).as("only content headers pass").isEmpty();
        HttpResponse<byte[]> part = gw.http().send(HttpRequest.newBuilder(URI.create(link))
                .header("Range", "bytes=100-199").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(100);

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - HAILUO_02_768P_10S);
        assertBalanced("alice");
        assertThat(store.usage("alice").get(0).units()).as("the usage row logs the seconds").isEqualTo(10);
    }

    @Test
    void aV2VideoIsHeldForItsReferenceVideoAndSettledOnTheSecondsMiniMaxBilled() {
        HttpResponse<String> created = gw.post("/minimax/v2/video_generation", TestUsers.key("alice"), """
                {"model": "MiniMax-H3", "resolution": "2K", "duration": 6, "ratio": "adaptive",
                 "content": [{"type": "text", "text": "the heron sings, voice of audio 1"},
                             {"type": "video_url", "video_url": {"url": "https://example.test/ref.mp4"},
                              "role": "reference_video"},
                             {"type": "audio_url", "audio_url": {"url": "https://example.test/voice.mp3"},
                              "role": "reference_audio"}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode answer = Json.MAPPER.readTree(created.body());
        String id = answer.path("task_id").asString();
        assertThat(id).matches("[1-9]\\d{17}");
        assertThat(answer.has("base_resp")).as("V2 answers only the task id").isFalse();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).as("6 s asked and up to 15 s of reference video")
                .containsExactly(-21 * H3_2K_SECOND);
        assertThat(upstream.requests).contains("POST /v2/video_generation");
        assertThat(upstream.submitted.get(0).path("content").size()).isEqualTo(3);

        String query = "/minimax/v2/query/video_generation/" + id;
        JsonNode running = get("alice", query).path("task");
        assertThat(running.path("id").asString()).isEqualTo(id);
        assertThat(running.path("status").asString()).isEqualTo("running");
        assertThat(running.has("content")).isFalse();
        JsonNode done = get("alice", query).path("task");
        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        assertThat(done.path("model").asString()).isEqualTo("MiniMax-H3");
        assertThat(done.path("resolution").asString()).isEqualTo("2K");
        assertThat(done.path("duration").asInt()).isEqualTo(6);
        assertThat(done.path("usage").path("total_seconds").asInt()).isEqualTo(10);
        assertThat(done.path("task_type").asString()).isEqualTo("generation");
        assertThat(done.path("content").path("url").asString()).startsWith(gw.baseUrl() + "/results/" + id + "/");

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("10 s billed of the 21 held").containsExactly(11 * H3_2K_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 10 * H3_2K_SECOND);
        assertBalanced("alice");
    }

    @Test
    void aTextOnlyV2RequestGetsARatioAndItsDefaults() {
        HttpResponse<String> created = gw.post("/minimax/v2/video_generation", TestUsers.key("alice"),
                "{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"a fox\"}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("ratio").asString()).isEqualTo("16:9");
        assertThat(sent.path("resolution").asString()).isEqualTo("768P");
        assertThat(sent.path("duration").asInt()).isEqualTo(5);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * Usd.parse("0.08"));
    }

    @Test
    void badInputIsRefusedInMiniMaxsShapeAndNeverChargedOrSent() {
        String[][] v1 = {
                {"{}", "model: (missing) (expected: one of MiniMax-Hailuo-2.3, MiniMax-Hailuo-2.3-Fast, MiniMax-Hailuo-02"},
                {"{\"model\":\"MiniMax-Hailuo-09\",\"prompt\":\"x\"}", "model: \"MiniMax-Hailuo-09\" (expected: one of"},
                {"{\"model\":\"MiniMax-H3\",\"prompt\":\"x\"}", "MiniMax-H3 is served on /minimax/v2/video_generation"},
                {"{\"model\":\"MiniMax-Hailuo-02\"}", "prompt: (missing) (expected: a non-empty string (required))"},
                {"{\"model\":\"MiniMax-Hailuo-02\",\"prompt\":\"x\",\"duration\":7}",
                        "duration: 7 (expected: one of 6, 10 for MiniMax-Hailuo-02)"},
                {"{\"model\":\"MiniMax-Hailuo-02\",\"prompt\":\"x\",\"duration\":10,\"resolution\":\"1080P\"}",
                        "duration: 10 (expected: one of 6 for MiniMax-Hailuo-02 at 1080P)"},
                {"{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"x\",\"resolution\":\"512P\"}",
                        "resolution: \"512P\" (expected: one of 768P, 1080P for MiniMax-Hailuo-2.3)"},
                {"{\"model\":\"T2V-01\",\"prompt\":\"x\",\"duration\":10}", "duration: 10 (expected: one of 6 for T2V-01)"},
                {"{\"model\":\"I2V-01\",\"prompt\":\"x\"}", "first_frame_image: (missing) (expected: an image URL or data URL (required by I2V-01))"},
                {"{\"model\":\"S2V-01\",\"prompt\":\"x\"}", "subject_reference: (missing)"},
                {"{\"model\":\"T2V-01\",\"prompt\":\"" + "p".repeat(2001) + "\"}", "prompt: 2001 characters (expected: at most 2000 characters)"},
                {"{\"model\":\"T2V-01\",\"prompt\":\"x\",\"prompt_optimizer\":\"yes\"}", "prompt_optimizer: \"yes\" (expected: true or false)"},
                {"{\"model\":\"T2V-01\",\"prompt\":\"x\",\"callback_url\":\"ftp://h/x\"}", "callback_url: \"ftp://h/x\" (expected: an http(s) URL)"},
                {"[1]", "body: not a JSON object"},
        };
        for (String[] c : v1) {
            HttpResponse<String> answer = gw.post("/minimax/v1/video_generation", TestUsers.key("alice"), c[0]);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            JsonNode base = Json.MAPPER.readTree(answer.body()).path("base_resp");
            assertThat(base.path("status_code").asInt()).isEqualTo(2013);
            assertThat(base.path("status_msg").asString()).as(c[0]).contains(c[1]);
        }
        String[][] v2 = {
                {"{\"model\":\"MiniMax-H3\"}", "content: (missing) (expected: a non-empty array"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://i.test/a.png\"}}]}",
                        "content: 0 text items (expected: exactly one"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"duration\":16}",
                        "duration: 16 (expected: one of 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 for MiniMax-H3)"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"resolution\":\"1080P\"}",
                        "resolution: \"1080P\" (expected: one of 768P, 2K for MiniMax-H3)"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"ratio\":\"adaptive\"}",
                        "ratio: \"adaptive\" (expected: one of 21:9, 16:9, 4:3, 1:1, 3:4, 9:16 for a text-only request)"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"ratio\":\"2:1\"}",
                        "ratio: \"2:1\" (expected: one of adaptive,"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"https://i.test/a.png\"},\"role\":\"first_frame\"},{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"https://i.test/b.png\"},\"role\":\"reference_image\"}]}",
                        "content: first_frame/last_frame with reference_* items (expected: either frames"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"video_url\","
                        + "\"video_url\":{\"url\":\"https://v.test/a.mp4\"},\"role\":\"first_frame\"}]}",
                        "content[1].role: \"first_frame\" (expected: one of reference_video for video_url)"},
                {"{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"audio_url\"}]}",
                        "content[1].audio_url.url: (missing)"},
                {"{\"model\":\"MiniMax-Hailuo-02\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}]}",
                        "MiniMax-Hailuo-02 is served on /minimax/v1/video_generation"},
        };
        for (String[] c : v2) {
            HttpResponse<String> answer = gw.post("/minimax/v2/video_generation", TestUsers.key("alice"), c[0]);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            JsonNode root = Json.MAPPER.readTree(answer.body());
            assertThat(root.path("type").asString()).isEqualTo("error");
            assertThat(root.path("error").path("type").asString()).isEqualTo("bad_request_error");
            assertThat(root.path("error").path("http_code").asString()).isEqualTo("400");
            assertThat(root.path("error").path("message").asString()).as(c[0]).contains(c[1]).endsWith("(2013)");
            assertThat(root.path("request_id").asString()).isNotBlank();
        }
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersTaskOrAnUnknownOneIsNotFoundInMiniMaxsShape() {
        String id = submitV1("{\"model\":\"T2V-01\",\"prompt\":\"a fox\"}");
        for (String path : List.of("/minimax/v1/query/video_generation?task_id=" + id,
                "/minimax/v1/query/video_generation?task_id=123", "/minimax/v1/files/retrieve?file_id=" + id)) {
            HttpResponse<String> bob = gw.get(path, TestUsers.key("bob"));
            assertThat(bob.statusCode()).as(path).isEqualTo(404);
            assertThat(Json.MAPPER.readTree(bob.body()).path("base_resp").path("status_code").asInt()).isEqualTo(2013);
        }
        HttpResponse<String> notDone = gw.get("/minimax/v1/files/retrieve?file_id=" + id, TestUsers.key("alice"));
        assertThat(notDone.statusCode()).as("no file before the video is made").isEqualTo(404);
        HttpResponse<String> v2 = gw.get("/minimax/v2/query/video_generation/" + id, TestUsers.key("alice"));
        assertThat(v2.statusCode()).as("a V1 task is not V2's").isEqualTo(404);
        assertThat(Json.MAPPER.readTree(v2.body()).path("error").path("message").asString()).contains("task_id: " + id);
        HttpResponse<String> missing = gw.get("/minimax/v1/query/video_generation", TestUsers.key("alice"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("task_id: (missing)");
        HttpResponse<String> anonymous = gw.get("/minimax/v1/query/video_generation?task_id=" + id, "sk-nobody");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(anonymous.body()).path("base_resp").path("status_code").asInt()).isEqualTo(1004);
    }

    @Test
    void theClientsCallbackGetsMiniMaxsCallbackBodyAndIsNeverSentUpstream() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            received.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            String id = submitV1("{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a fox\",\"callback_url\":\"" + url + "\"}");
            assertThat(upstream.submitted.get(0).has("callback_url")).isFalse();
            for (int i = 0; i < 3; i++) {
                get("alice", "/minimax/v1/query/video_generation?task_id=" + id);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.size() < 2 || received.stream().noneMatch(d -> d.path("status").asString().equals("success"))) {
                assertThat(System.currentTimeMillis()).as("the success callback arrives: " + received)
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            JsonNode last = received.stream().filter(d -> d.path("status").asString().equals("success"))
                    .findFirst().orElseThrow();
            assertThat(last.path("task_id").asString()).isEqualTo(id);
            assertThat(last.path("file_id").asString()).isEqualTo(id);
            assertThat(last.path("base_resp").path("status_code").asInt(-1)).isZero();
            assertThat(received).extracting(d -> d.path("status").asString())
                    .as("MiniMax's callback states, each once").containsExactlyInAnyOrder("processing", "success");
            received.forEach(d -> assertNothingOfTheUpstream(d.toString()));
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void theGenericVideoRouteReachesMiniMaxModels() {
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"), """
                {"model": "MiniMax-Hailuo-02", "prompt": "the heron takes off", "image": "https://example.test/h.png",
                 "duration": "6", "size": "1366x768", "metadata": {"prompt_optimizer": false}}""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
        JsonNode sent = upstream.submitted.get(0);
        assertThat(upstream.requests).contains("POST /v1/video_generation");
        assertThat(sent.path("first_frame_image").asString()).isEqualTo("https://example.test/h.png");
        assertThat(sent.path("resolution").asString()).isEqualTo("768P");
        assertThat(sent.path("duration").asInt()).isEqualTo(6);
        assertThat(sent.path("prompt_optimizer").asBoolean(true)).isFalse();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.28"));
        for (int i = 0; i < 2; i++) {
            get("alice", "/v1/video/generations/" + id);
        }
        JsonNode data = get("alice", "/v1/video/generations/" + id).path("data");
        assertThat(data.path("status").asString()).isEqualTo("succeeded");
        assertThat(data.path("url").asString()).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(data.path("metadata").path("width").asInt()).isEqualTo(1366);
        assertThat(get("alice", "/minimax/v1/query/video_generation?task_id=" + id).path("status").asString())
                .as("the task is MiniMax's: its routes serve it").isEqualTo("Success");

        HttpResponse<String> h3 = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"MiniMax-H3\",\"prompt\":\"a fox\",\"size\":\"720x1280\",\"duration\":4}");
        assertThat(h3.statusCode()).as(h3.body()).isEqualTo(200);
        JsonNode sentV2 = upstream.submitted.get(1);
        assertThat(sentV2.path("ratio").asString()).isEqualTo("9:16");
        assertThat(sentV2.path("content").get(0).path("text").asString()).isEqualTo("a fox");
        assertThat(sentV2.path("duration").asInt()).isEqualTo(4);

        HttpResponse<String> badSize = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a fox\",\"size\":\"1000x300\"}");
        assertThat(badSize.statusCode()).isEqualTo(400);
        assertThat(badSize.body()).contains("size: 1000x300");
        assertThat(upstream.submitted).hasSize(2);
    }
}

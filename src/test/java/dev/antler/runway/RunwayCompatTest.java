package dev.antler.runway;

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

/**
 * DeerAPI's reverse format through the gateway: on a {@code runway-compat} channel as sent, on a {@code runway}
 * channel translated to Runway's API; DeerAPI's envelope and status codes, the client's callback once finished.
 */
class RunwayCompatTest {

    private static final long OPENING = Usd.parse("10");
    private static final long TURBO_SECOND = Usd.parse("0.05");
    private static final long GEN4_SECOND = Usd.parse("0.12");

    private FakeRunway upstream;
    private GatewayHarness gw;
    private StoreView store;
    private final List<String> answers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeRunway();
    }

    private void startGateway(String type, String models) {
        gw = GatewayHarness.start("""
                channels: [{ name: up, type: %s, base_url: "%s", key: "%s", models: %s }]
                users:
                %s
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(type, upstream.baseUrl(), FakeRunway.KEY, models, TestUsers.yaml("alice", "bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        try {
            for (String answer : answers) {
                assertThat(answer).as("no upstream host, key or id in any answer")
                        .doesNotContain(upstream.baseUrl()).doesNotContain(FakeRunway.KEY)
                        .doesNotContain("rw-task-").doesNotContain("/cdn/");
            }
        } finally {
            if (gw != null) {
                gw.close();
            }
            upstream.close();
        }
    }

    private JsonNode post(String path, String body, int status) {
        HttpResponse<String> answer = gw.post(path, TestUsers.key("alice"), body);
        answers.add(answer.body());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return Json.MAPPER.readTree(answer.body());
    }

    private JsonNode feed(String id) {
        JsonNode root = post("/runway/feed", "{\"task_id\":\"" + id + "\"}", 200);
        assertThat(root.path("code").asInt()).isEqualTo(200);
        assertThat(root.path("msg").asString()).isEqualTo("成功");
        assertThat(root.path("exec_time").isNumber()).isTrue();
        return root.path("data");
    }

    @Test
    void aGenerateOnAReverseFormatChannelRunsToCompletionAndCallsTheClientBackOnce() throws Exception {
        startGateway("runway-compat", "[gen4_turbo, gen4]");
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            received.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        try {
            String callback = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            JsonNode created = post("/runway/pro/generate", "{\"callback_url\":\"" + callback + "\",\"ratio\":\"16:9\","
                    + "\"prompt\":\"a kitten\",\"style\":\"cinematic\",\"model\":\"gen4_turbo\",\"options\":{\"seconds\":10,"
                    + "\"motion_vector\":{\"x\":0,\"y\":0.4,\"z\":0,\"r\":-6,\"bg_x_pan\":0,\"bg_y_pan\":0}}}", 200);
            assertThat(created.path("code").asInt()).isEqualTo(200);
            JsonNode data = created.path("data");
            String id = data.path("task_id").asString();
            assertThat(id).isNotBlank().isNotEqualTo(upstream.lastId());
            assertThat(data.path("status").asString()).isEqualTo("0");
            assertThat(upstream.requests).contains("POST /runway/pro/generate");
            JsonNode sent = upstream.submitted.get(0);
            assertThat(sent.has("callback_url")).as("the client's callback stays with the gateway").isFalse();
            assertThat(sent.path("options").path("motion_vector").path("r").asInt()).isEqualTo(-6);
            assertThat(sent.path("style").asString()).isEqualTo("cinematic");
            gw.awaitLedger();
            assertThat(store.ledger("alice", "charge")).containsExactly(-10 * TURBO_SECOND);

            assertThat(feed(id).path("status").asString()).as("task_not_exist right after the create: no news")
                    .isEqualTo("0");
            assertThat(feed(id).path("status").asString()).isEqualTo("0");
            assertThat(feed(id).path("status").asString()).isEqualTo("1");
            JsonNode done = feed(id);
            assertThat(done.path("status").asString()).isEqualTo("3");
            assertThat(done.path("task_id").asString()).isEqualTo(id);
            assertThat(done.path("prompt").asString()).isEqualTo("a kitten");
            assertThat(done.path("video_url").asString()).isEqualTo(gw.baseUrl() + "/results/" + id + "/"
                    + done.path("video_url").asString().split("/")[5] + "/0");
            assertThat(done.path("poster").asString()).endsWith("/1");
            assertThat(done.path("last_frame").asString()).endsWith("/2");
            assertThat(done.path("refund").asString()).isEqualTo("0");
            assertThat(done.has("point")).isFalse();

            HttpResponse<byte[]> poster = gw.http().send(HttpRequest.newBuilder(URI.create(done.path("poster")
                    .asString())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(poster.statusCode()).isEqualTo(200);
            assertThat(poster.body()).isEqualTo(upstream.file(upstream.lastId() + "-poster.png"));

            long deadline = System.currentTimeMillis() + 10_000;
            while (received.isEmpty()) {
                assertThat(System.currentTimeMillis()).as("the callback arrives").isLessThan(deadline);
                Thread.sleep(10);
            }
            Thread.sleep(200);
            assertThat(received).as("called once, when finished").hasSize(1);
            JsonNode called = received.get(0);
            answers.add(called.toString());
            assertThat(called.path("task_id").asString()).isEqualTo(id);
            assertThat(called.path("status").asString()).isEqualTo("3");
            assertThat(called.path("video_url").asString()).isEqualTo(done.path("video_url").asString());

            gw.awaitLedger();
            assertThat(store.ledger("alice", "refund")).isEmpty();
            assertThat(store.balance("alice")).isEqualTo(OPENING - 10 * TURBO_SECOND)
                    .isEqualTo(store.ledgerSum("alice"));
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aFailureShowsStatusTwoRefundedOnce() {
        startGateway("runway-compat", "[]");
        upstream.script = List.of("PENDING", "FAILED");
        String id = post("/runway/pro/generate", "{\"prompt\":\"a storm\",\"model\":\"gen4\"}", 200)
                .path("data").path("task_id").asString();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * GEN4_SECOND);
        feed(id);
        JsonNode failed = feed(id);
        assertThat(failed.path("status").asString()).isEqualTo("2");
        assertThat(failed.path("msg").asString()).isEqualTo("generation failed");
        assertThat(failed.path("video_url").isNull()).isTrue();
        gw.gateway().tasks().poller().pollOnce();
        feed(id);
        gw.awaitLedger();
        assertThat(feed(id).path("refund").asString()).isEqualTo("1");
        assertThat(store.ledger("alice", "refund")).containsExactly(5 * GEN4_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void aGenerateOnARunwayChannelIsTranslatedToRunwaysApi() {
        startGateway("runway", "[gen4_turbo]");
        upstream.seconds = 9;
        String id = post("/runway/pro/generate", "{\"prompt\":\"she laughs\",\"model\":\"gen4_turbo\",\"ratio\":\"9:16\","
                + "\"image\":\"https://img.example.com/1.jpeg\",\"style\":\"cinematic\",\"options\":{\"seconds\":10}}", 200)
                .path("data").path("task_id").asString();
        assertThat(upstream.requests).contains("POST /v1/image_to_video");
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model").asString()).isEqualTo("gen4_turbo");
        assertThat(sent.path("promptImage").asString()).isEqualTo("https://img.example.com/1.jpeg");
        assertThat(sent.path("promptText").asString()).isEqualTo("she laughs");
        assertThat(sent.path("ratio").asString()).isEqualTo("720:1280");
        assertThat(sent.path("duration").asInt()).isEqualTo(10);
        assertThat(sent.has("style")).as("no official field").isFalse();
        assertThat(upstream.headers).containsExactly("Bearer " + FakeRunway.KEY + "|2024-11-06");
        for (int i = 0; i < 3; i++) {
            feed(id);
        }
        JsonNode done = feed(id);
        assertThat(done.path("status").asString()).isEqualTo("3");
        assertThat(done.path("video_url").asString()).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(done.path("poster").isNull()).as("Runway's API gives no poster").isTrue();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("9 s made of 10 held").containsExactly(TURBO_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 9 * TURBO_SECOND).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void whatDoesNotTranslateFindsNoRunwayChannelAndIsNotCharged() {
        startGateway("runway", "[]");
        String[] bodies = {
                "{\"prompt\":\"a fox\",\"model\":\"gen4_turbo\"}", // gen4_turbo takes no text-only video
                "{\"prompt\":\"a fox\",\"model\":\"gen4\"}", // no gen4 on Runway's API
                "{\"prompt\":\"a fox\",\"model\":\"gen4.5\",\"ratio\":\"1:1\"}", // text_to_video takes 16:9 or 9:16
        };
        for (String body : bodies) {
            JsonNode refused = post("/runway/pro/generate", body, 503);
            assertThat(refused.path("code").asInt()).isEqualTo(503);
            assertThat(refused.path("data").isNull()).isTrue();
        }
        post("/runway/pro/video2video", "{\"video\":\"https://v.example.com/a.mp4\",\"prompt\":\"pixel art\"}", 503);
        post("/runway/pro/act_one", "{\"video\":\"https://v.example.com/a.mp4\",\"image\":\"https://i.example.com/a.png\"}",
                503);
        JsonNode ok = post("/runway/pro/generate", "{\"prompt\":\"a fox\",\"model\":\"gen4.5\",\"ratio\":\"9:16\"}", 200);
        assertThat(upstream.requests).containsExactly("POST /v1/text_to_video");
        assertThat(ok.path("data").path("status").asString()).isEqualTo("0");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * Usd.parse("0.12"));
    }

    @Test
    void actOneAndVideoToVideoGoToAReverseFormatChannelHeldForTheirInputsLength() {
        startGateway("runway-compat", "[]");
        upstream.seconds = 12;
        String id = post("/runway/pro/act_one", "{\"video\":\"https://v.example.com/a.mp4\",\"image\":"
                + "\"https://i.example.com/a.png\",\"callback_url\":\"https://example.com/cb\"}", 200)
                .path("data").path("task_id").asString();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-30 * Usd.parse("0.05"));
        assertThat(upstream.requests).containsExactly("POST /runway/pro/act_one");
        for (int i = 0; i < 4; i++) {
            feed(id);
        }
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(18 * Usd.parse("0.05"));
        post("/runway/pro/video2video", "{\"video\":\"https://v.example.com/a.mp4\",\"model\":\"gen4\",\"prompt\":"
                + "\"pixel art\",\"options\":{\"structure_transformation\":0.5,\"flip\":true}}", 200);
        assertThat(upstream.submitted.get(1).path("options").path("flip").asBoolean()).isTrue();
    }

    @Test
    void badInputIsRefusedInDeerApisEnvelopeNeverChargedNorSent() {
        startGateway("runway-compat", "[]");
        String[][] cases = {
                {"generate", "{\"model\":\"gen4_turbo\"}", "prompt: (missing) (expected: a non-empty string (required without an image))"},
                {"generate", "{\"prompt\":\"x\",\"model\":\"gen2\"}", "model: \"gen2\" (expected: one of gen4_turbo, gen4, gen4.5)"},
                {"generate", "{\"prompt\":\"x\",\"options\":{\"seconds\":7}}", "options.seconds: 7 (expected: one of 5, 10)"},
                {"generate", "{\"prompt\":\"x\",\"ratio\":\"2:1\"}", "ratio: \"2:1\" (expected: one of 16:9, 9:16, 1:1, 4:3, 3:4, 21:9)"},
                {"generate", "{\"prompt\":\"x\",\"last_image\":\"https://i.example.com/z.png\"}", "last_image: \"https://i.example.com/z.png\" (expected: a last frame with an image"},
                {"generate", "{\"prompt\":\"x\",\"callback_url\":\"ftp://x\"}", "callback_url: \"ftp://x\" (expected: an http(s) URL)"},
                {"video2video", "{\"prompt\":\"x\"}", "video: (missing) (expected: an http(s) URL (required))"},
                {"video2video", "{\"video\":\"https://v.example.com/a.mp4\",\"options\":{\"structure_transformation\":2}}", "options.structure_transformation: 2 (expected: a number from 0 to 1)"},
                {"act_one", "{\"video\":\"https://v.example.com/a.mp4\"}", "image: (missing) (expected: an http(s) URL or a data:image/ URI (required))"},
        };
        for (String[] c : cases) {
            JsonNode root = post("/runway/pro/" + c[0], c[1], 400);
            assertThat(root.path("code").asInt()).isEqualTo(400);
            assertThat(root.path("msg").asString()).as(c[1]).startsWith(c[2]);
            assertThat(root.path("data").isNull()).isTrue();
        }
        JsonNode noId = post("/runway/feed", "{}", 400);
        assertThat(noId.path("msg").asString()).startsWith("task_id: (missing)");
        JsonNode unknown = post("/runway/feed", "{\"task_id\":\"task_nope\"}", 404);
        assertThat(unknown.path("code").asInt()).isEqualTo(404);
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
    }

    @Test
    void anotherUsersTaskIsNotFound() {
        startGateway("runway-compat", "[]");
        String id = post("/runway/pro/generate", "{\"prompt\":\"x\"}", 200).path("data").path("task_id").asString();
        HttpResponse<String> bob = gw.post("/runway/feed", TestUsers.key("bob"), "{\"task_id\":\"" + id + "\"}");
        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(gw.get("/runway/v1/tasks/" + id, TestUsers.key("alice")).statusCode())
                .as("a reverse-format task is not read in Runway's format").isEqualTo(404);
    }
}

package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.TaskPoller;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.Race;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Kling over real sockets: Kling's own bodies and answers, the gateway's ids, money checked in the store. */
class KlingFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long V1_STD_SECOND = Usd.parse("0.028");
    private static final long V16_PRO_SECOND = Usd.parse("0.098");

    private FakeKling upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeKling();
        startGateway(FakeKling.KEY);
    }

    private void startGateway(String key) {
        gw = GatewayHarness.start("""
                channels: [{ name: kling, type: kling, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), key, TestUsers.key("alice"), TestUsers.key("bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private JsonNode submit(String path, String body) {
        HttpResponse<String> answer = gw.post("/kling/v1/" + path, TestUsers.key("alice"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("code").asInt(-1)).isZero();
        assertThat(root.path("data").path("task_id").asString()).as("the gateway's id, never the upstream's")
                .isNotEqualTo(upstream.lastId()).isNotBlank();
        assertThat(answer.body()).doesNotContain(upstream.lastId());
        assertThat(root.path("request_id").asString()).as("the request's own id, as every answer names it")
                .isEqualTo(answer.headers().firstValue("X-Request-Id").orElseThrow());
        gw.awaitLedger();
        return root.path("data");
    }

    private JsonNode fetch(String user, String path) {
        HttpResponse<String> answer = gw.get("/kling/v1/" + path, TestUsers.key(user));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void text2videoRunsToCompletionBilledForTheSecondsMade() {
        JsonNode task = submit("videos/text2video", "{\"prompt\":\"a heron at dawn\",\"external_task_id\":\"mine-1\","
                + "\"camera_control\":{\"type\":\"simple\"}}");
        String id = task.path("task_id").asString();
        assertThat(task.path("task_status").asString()).isEqualTo("submitted");
        assertThat(task.path("task_info").path("external_task_id").asString()).isEqualTo("mine-1");
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model_name").asString()).isEqualTo("kling-v1");
        assertThat(sent.path("mode").asString()).isEqualTo("std");
        assertThat(sent.path("duration").asString()).isEqualTo("5");
        assertThat(sent.path("camera_control").path("type").asString()).as("unchecked fields pass").isEqualTo("simple");
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * V1_STD_SECOND);

        assertThat(fetch("alice", "videos/text2video/" + id).path("data").path("task_status").asString())
                .isEqualTo("processing");
        JsonNode done = fetch("alice", "videos/text2video/" + id);
        assertThat(done.path("code").asInt()).isZero();
        assertThat(done.path("message").asString()).isEqualTo("SUCCEED");
        JsonNode data = done.path("data");
        assertThat(data.path("task_id").asString()).isEqualTo(id);
        assertThat(data.path("task_status").asString()).isEqualTo("succeed");
        assertThat(data.path("task_result").path("videos").get(0).path("duration").asString()).isEqualTo("5.1");
        assertThat(data.path("task_result").path("videos").get(0).path("url").asString())
                .startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(done.toString()).doesNotContain(upstream.baseUrl()).doesNotContain("/cdn/");
        assertThat(data.path("created_at").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(done.toString()).doesNotContain("\"" + upstream.lastId() + "\"").doesNotContain("final_unit_deduction");

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("5.1 s made rounds to the 5 s held").isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 5 * V1_STD_SECOND);
        assertThat(upstream.requests).allMatch(r -> !r.contains("callback"));
        assertBalanced("alice");

        JsonNode list = fetch("alice", "videos/text2video?pageNum=1&pageSize=10");
        assertThat(list.path("data").size()).isEqualTo(1);
        assertThat(list.path("data").get(0).path("task_id").asString()).isEqualTo(id);
    }

    @Test
    void image2videoRunsToCompletionAtItsModelModeAndDuration() {
        String id = submit("videos/image2video", "{\"model_name\":\"kling-v1-6\",\"mode\":\"pro\",\"duration\":\"10\","
                + "\"image\":\"https://img.test/a.png\"}").path("task_id").asString();
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * V16_PRO_SECOND);
        assertThat(upstream.requests).contains("POST /v1/videos/image2video");
        TaskPoller poller = gw.gateway().tasks().poller();
        poller.pollOnce();
        poller.pollOnce();
        gw.awaitLedger();
        assertThat(fetch("alice", "videos/image2video/" + id).path("data").path("task_status").asString())
                .isEqualTo("succeed");
        assertThat(upstream.requests).contains("GET /v1/videos/image2video/" + upstream.lastId());
        assertThat(store.balance("alice")).isEqualTo(OPENING - 10 * V16_PRO_SECOND);
        assertBalanced("alice");
    }

    @Test
    void aFailureIsRefundedExactlyOnceUnderRacingPollsFetchesAndSweeps() throws Exception {
        upstream.failNext = true;
        String id = submit("videos/text2video", "{\"prompt\":\"a storm\"}").path("task_id").asString();
        fetch("alice", "videos/text2video/" + id); // processing; the next look sees the failure
        TaskPoller poller = gw.gateway().tasks().poller();
        Race.run(12,
                () -> poller.pollOnce(),
                () -> fetch("alice", "videos/text2video/" + id),
                () -> poller.sweepOnce());
        gw.awaitLedger();
        JsonNode data = fetch("alice", "videos/text2video/" + id).path("data");
        assertThat(data.path("task_status").asString()).isEqualTo("failed");
        assertThat(data.path("task_status_msg").asString()).isEqualTo("content risk");
        assertThat(store.ledger("alice", "refund")).containsExactly(5 * V1_STD_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced("alice");
    }

    @Test
    void theClientsCallbackReceivesTheDataObjectAndIsNeverSentUpstream() throws Exception {
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
            String id = submit("videos/text2video", "{\"prompt\":\"a fox\",\"callback_url\":\"" + url + "\"}")
                    .path("task_id").asString();
            assertThat(upstream.submitted.get(0).has("callback_url")).isFalse();
            fetch("alice", "videos/text2video/" + id);
            fetch("alice", "videos/text2video/" + id);
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.stream().noneMatch(d -> d.path("task_status").asString().equals("succeed"))) {
                assertThat(System.currentTimeMillis()).as("the succeed callback arrives: " + received)
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            JsonNode last = received.stream().filter(d -> d.path("task_status").asString().equals("succeed"))
                    .findFirst().orElseThrow();
            assertThat(last.path("task_id").asString()).isEqualTo(id);
            assertThat(last.path("task_result").path("videos").isArray()).isTrue();
            assertThat(last.toString()).doesNotContain("\"" + upstream.lastId() + "\"")
                    .doesNotContain(upstream.baseUrl());
            assertThat(last.path("task_result").path("videos").get(0).path("url").asString())
                    .as("the webhook names the gateway's link, on the submit's host")
                    .startsWith(gw.baseUrl() + "/results/" + id + "/");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void anotherRelaysSkKeyGoesAsABearerUnderItsKlingPaths() {
        gw.close();
        startGateway(FakeKling.RELAY_KEY);
        submit("videos/text2video", "{\"prompt\":\"a kite\"}");
        assertThat(upstream.tokens).containsExactly("Bearer " + FakeKling.RELAY_KEY);
        assertThat(upstream.requests).containsExactly("POST /kling/v1/videos/text2video");
    }

    @Test
    void badInputIsRefusedInKlingsEnvelopeAndNeverChargedOrSent() {
        String[][] cases = {
                {"videos/text2video", "{}", "prompt: (missing) (expected: a non-empty string (required))"},
                {"videos/text2video", "{\"prompt\":\"x\",\"duration\":\"7\"}", "duration: \"7\" (expected: one of \"5\", \"10\")"},
                {"videos/text2video", "{\"prompt\":\"x\",\"mode\":\"fast\"}", "mode: \"fast\" (expected: one of std, pro)"},
                {"videos/text2video", "{\"prompt\":\"x\",\"model_name\":\"kling-v9\"}", "model_name: \"kling-v9\""},
                {"videos/text2video", "{\"prompt\":\"" + "p".repeat(2501) + "\"}", "prompt: 2501 characters (expected: at most 2500 characters)"},
                {"videos/image2video", "{\"prompt\":\"x\"}", "image: (missing) (expected: an image URL or raw base64; or image_tail)"},
                {"images/generations", "{\"prompt\":\"x\",\"n\":10}", "n: 10 (expected: an integer from 1 to 9)"},
                {"images/kolors-virtual-try-on", "{\"human_image\":\"h\"}", "cloth_image: (missing)"},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = gw.post("/kling/v1/" + c[0], TestUsers.key("alice"), c[1]);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            JsonNode root = Json.MAPPER.readTree(answer.body());
            assertThat(root.path("code").asInt()).isEqualTo(1201);
            assertThat(root.path("message").asString()).startsWith(c[2]);
            assertThat(root.path("request_id").asString()).isNotBlank();
            assertThat(root.has("data") && root.path("data").isNull()).isTrue();
        }
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersTaskIsNotFound() {
        String id = submit("videos/text2video", "{\"prompt\":\"a fox\"}").path("task_id").asString();
        HttpResponse<String> bob = gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("bob"));
        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(bob.body()).path("code").asInt()).isEqualTo(1203);
        HttpResponse<String> wrongAction = gw.get("/kling/v1/videos/image2video/" + id, TestUsers.key("alice"));
        assertThat(wrongAction.statusCode()).isEqualTo(404);
        assertThat(fetch("bob", "videos/text2video").path("data").size()).isZero();
    }

    @Test
    void imagesAreBilledPerImageAndSettledOnThoseMade() {
        String id = submit("images/generations", "{\"prompt\":\"a cat\",\"n\":3}").path("task_id").asString();
        assertThat(store.ledger("alice", "charge")).containsExactly(-3 * Usd.parse("0.035"));
        fetch("alice", "images/generations/" + id);
        JsonNode data = fetch("alice", "images/generations/" + id).path("data");
        assertThat(data.path("task_result").path("images").size()).isEqualTo(3);
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 3 * Usd.parse("0.035"));
    }

    @Test
    void a429OnPollBacksOffAndTheTaskStillCompletes() {
        String id = submit("videos/text2video", "{\"prompt\":\"a bee\"}").path("task_id").asString();
        upstream.busy.set(1);
        gw.gateway().tasks().poller().pollOnce();
        assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("kling"))).isTrue();
        fetch("alice", "videos/text2video/" + id);
        assertThat(fetch("alice", "videos/text2video/" + id).path("data").path("task_status").asString())
                .isEqualTo("succeed");
    }
}

package dev.antler.runway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.TaskPoller;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.Race;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Runway's own API through the gateway, over real sockets: Runway's bodies and answers, money checked in the store. */
class RunwayFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long TURBO_SECOND = Usd.parse("0.05");
    private static final long GEN45_SECOND = Usd.parse("0.12");
    private static final long ALEPH_SECOND = Usd.parse("0.15");
    private static final long VEO31_SILENT_SECOND = Usd.parse("0.20");
    private static final String IMAGE = "https://img.example.com/first.png";

    private FakeRunway upstream;
    private ManualClock clock;
    private GatewayHarness gw;
    private StoreView store;
    /** Every answer the gateway gave, for the leak check. */
    private final List<String> answers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeRunway();
        clock = ManualClock.now();
        gw = GatewayHarness.start("""
                channels: [{ name: runway, type: runway, base_url: "%s", key: "%s" }]
                users:
                %s
                tasks: { poll_interval_ms: 600000, timeout_seconds: 600 }
                """.formatted(upstream.baseUrl(), FakeRunway.KEY, TestUsers.yaml("alice", "bob")), clock);
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        try {
            for (String answer : answers) {
                assertThat(answer).as("no upstream host, key or id in any answer")
                        .doesNotContain(upstream.baseUrl()).doesNotContain("127.0.0.1:" + upstreamPort())
                        .doesNotContain(FakeRunway.KEY).doesNotContain("rw-task-").doesNotContain("/cdn/");
            }
        } finally {
            gw.close();
            upstream.close();
        }
    }

    private String upstreamPort() {
        return upstream.baseUrl().substring(upstream.baseUrl().lastIndexOf(':') + 1);
    }

    private HttpResponse<String> post(String path, String body) {
        HttpResponse<String> answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + TestUsers.key("alice"))
                .header("X-Runway-Version", "2024-11-06")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        answers.add(answer.body() + answer.headers().map());
        return answer;
    }

    private String create(String endpoint, String body) {
        HttpResponse<String> answer = post("/runway/v1/" + endpoint, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.size()).as("Runway's create answer is {id}").isEqualTo(1);
        gw.awaitLedger();
        return root.path("id").asString();
    }

    private JsonNode task(String user, String id) {
        HttpResponse<String> answer = gw.get("/runway/v1/tasks/" + id, TestUsers.key(user));
        answers.add(answer.body() + answer.headers().map());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private HttpResponse<String> delete(String id) {
        HttpResponse<String> answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/runway/v1/tasks/" + id))
                .header("Authorization", "Bearer " + TestUsers.key("alice")).DELETE().build());
        answers.add(answer.body() + answer.headers().map());
        return answer;
    }

    private void assertBalanced() {
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void anImageToVideoRunsToCompletionWithTheGatewaysIdAndLinks() throws Exception {
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"promptText\":\"a heron lifts off\",\"ratio\":\"1280:720\",\"duration\":5,\"seed\":7}");
        assertThat(id).isNotEqualTo(upstream.lastId());
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model").asString()).isEqualTo("gen4_turbo");
        assertThat(sent.path("seed").asInt()).isEqualTo(7);
        assertThat(upstream.headers).containsExactly("Bearer " + FakeRunway.KEY + "|2024-11-06");
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * TURBO_SECOND);

        JsonNode pending = task("alice", id);
        assertThat(pending.path("id").asString()).isEqualTo(id);
        assertThat(pending.path("status").asString()).as("Runway's 404 right after the create is no news")
                .isEqualTo("PENDING");
        assertThat(pending.path("createdAt").asString()).endsWith("Z");
        assertThat(task("alice", id).path("status").asString()).isEqualTo("PENDING");
        JsonNode running = task("alice", id);
        assertThat(running.path("status").asString()).isEqualTo("RUNNING");
        assertThat(running.path("progress").asDouble()).isEqualTo(0.4);
        JsonNode done = task("alice", id);
        assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.has("progress")).isFalse();
        String link = done.path("output").get(0).asString();
        assertThat(link).startsWith(gw.baseUrl() + "/results/" + id + "/");

        HttpResponse<byte[]> video = gw.http().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.body()).isEqualTo(upstream.file(upstream.lastId() + ".mp4"));
        assertThat(video.headers().map().toString()).doesNotContain(upstream.baseUrl());

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("5 s asked, 5 s made").isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 5 * TURBO_SECOND);
        assertBalanced();
        assertThat(task("alice", id).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aVideoShorterThanHeldIsSettledOnTheSecondsItHas() {
        upstream.seconds = 6;
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"ratio\":\"960:960\"}");
        assertThat(store.ledger("alice", "charge")).as("no duration: the most gen4_turbo makes")
                .containsExactly(-10 * TURBO_SECOND);
        TaskPoller poller = gw.gateway().tasks().poller();
        for (int i = 0; i < 4; i++) {
            poller.pollOnce();
        }
        assertThat(task("alice", id).path("status").asString()).isEqualTo("SUCCEEDED");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("6 s made of 10 held").containsExactly(4 * TURBO_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 6 * TURBO_SECOND);
        assertBalanced();
    }

    @Test
    void aVideoToVideoIsHeldForTenSecondsAndSettledOnItsLengthNeverAboveTheHold() {
        upstream.seconds = 12;
        String id = create("video_to_video", "{\"model\":\"gen4_aleph\",\"videoUri\":\"https://v.example.com/a.mp4\","
                + "\"promptText\":\"make it snow\",\"ratio\":\"848:480\"}");
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * ALEPH_SECOND);
        for (int i = 0; i < 4; i++) {
            task("alice", id);
        }
        assertThat(task("alice", id).path("status").asString()).isEqualTo("SUCCEEDED");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).as("12 s made: the hold bounds the cost")
                .containsExactly(-10 * ALEPH_SECOND);
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 10 * ALEPH_SECOND);
        assertBalanced();

        upstream.seconds = 4;
        String shorter = create("video_to_video", "{\"model\":\"aleph2\",\"videoUri\":\"https://v.example.com/b.mp4\"}");
        for (int i = 0; i < 4; i++) {
            task("alice", shorter);
        }
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("4 s made of 10 held").containsExactly(6 * ALEPH_SECOND);
        assertBalanced();
    }

    @Test
    void aTextToVideoOnVeoWithoutAudioIsPricedAsSuch() {
        String id = create("text_to_video", "{\"model\":\"veo3.1\",\"promptText\":\"rain on a tin roof\","
                + "\"ratio\":\"1080:1920\",\"duration\":4,\"audio\":false}");
        assertThat(store.ledger("alice", "charge")).containsExactly(-4 * VEO31_SILENT_SECOND);
        assertThat(upstream.requests).contains("POST /v1/text_to_video");
        assertThat(upstream.submitted.get(0).path("audio").asBoolean(true)).isFalse();
        assertThat(id).isNotBlank();
    }

    @Test
    void aFailureIsRefundedExactlyOnceUnderRacingPollsReadsAndSweeps() throws Exception {
        upstream.script = List.of("PENDING", "RUNNING:0.2", "FAILED:SAFETY.INPUT.TEXT");
        String id = create("text_to_video", "{\"model\":\"gen4.5\",\"promptText\":\"a storm\",\"ratio\":\"720:1280\","
                + "\"duration\":8}");
        task("alice", id);
        task("alice", id); // running; the next look sees the failure
        TaskPoller poller = gw.gateway().tasks().poller();
        Race.run(12,
                () -> poller.pollOnce(),
                () -> task("alice", id),
                () -> poller.sweepOnce());
        gw.awaitLedger();
        JsonNode failed = task("alice", id);
        assertThat(failed.path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.path("failure").asString()).isEqualTo("The prompt did not pass content moderation.");
        assertThat(failed.path("failureCode").asString()).isEqualTo("SAFETY.INPUT.TEXT");
        assertThat(failed.has("output")).isFalse();
        assertThat(store.ledger("alice", "charge")).containsExactly(-8 * GEN45_SECOND);
        assertThat(store.ledger("alice", "refund")).containsExactly(8 * GEN45_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced();
    }

    @Test
    void aCancelStopsTheTaskUpstreamAndRefundsItOnce() {
        upstream.script = List.of("PENDING", "RUNNING:0.3");
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"ratio\":\"1280:720\",\"duration\":10}");
        task("alice", id);
        assertThat(task("alice", id).path("status").asString()).isEqualTo("RUNNING");
        HttpResponse<String> cancelled = delete(id);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
        assertThat(cancelled.body()).isEmpty();
        assertThat(upstream.requests).contains("DELETE /v1/tasks/" + upstream.lastId());
        assertThat(task("alice", id).path("status").asString()).isEqualTo("CANCELLED");
        gw.gateway().tasks().poller().pollOnce();
        assertThat(delete(id).statusCode()).as("a cancelled task is deleted by a second DELETE").isEqualTo(204);
        assertThat(gw.get("/runway/v1/tasks/" + id, TestUsers.key("alice")).statusCode()).isEqualTo(404);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(10 * TURBO_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced();
    }

    @Test
    void deletingAFinishedTaskHidesItAndRefundsNothing() {
        upstream.script = List.of("SUCCEEDED");
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"ratio\":\"1280:720\",\"duration\":5}");
        assertThat(task("alice", id).path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(delete(id).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = gw.get("/runway/v1/tasks/" + id, TestUsers.key("alice"));
        answers.add(gone.body());
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(gone.body()).path("error").asString()).startsWith("task_id: " + id);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 5 * TURBO_SECOND);
    }

    @Test
    void aTaskRunwayNeverShowsIsEndedByTheTimeoutSweepAndRefunded() {
        upstream.script = List.of("404");
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"ratio\":\"1280:720\",\"duration\":5}");
        TaskPoller poller = gw.gateway().tasks().poller();
        for (int i = 0; i < 3; i++) {
            poller.pollOnce();
            poller.sweepOnce();
        }
        assertThat(task("alice", id).path("status").asString()).as("404s are no news").isEqualTo("PENDING");
        clock.advanceSeconds(601);
        poller.sweepOnce();
        JsonNode ended = task("alice", id);
        assertThat(ended.path("status").asString()).isEqualTo("FAILED");
        assertThat(ended.path("failure").asString()).isNotBlank();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(5 * TURBO_SECOND);
        assertBalanced();
    }

    @Test
    void a429OnPollBacksOffAndTheTaskStillCompletes() {
        upstream.script = List.of("PENDING", "SUCCEEDED");
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"ratio\":\"1280:720\",\"duration\":5}");
        upstream.busy.set(1);
        TaskPoller poller = gw.gateway().tasks().poller();
        poller.pollOnce();
        assertThat(poller.backingOff(store.channelId("runway"))).isTrue();
        task("alice", id);
        assertThat(task("alice", id).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void a429OnCreateIsRunwaysAnswerAndUncharged() {
        upstream.busy.set(1);
        HttpResponse<String> answer = post("/runway/v1/image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\""
                + IMAGE + "\",\"ratio\":\"1280:720\"}");
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(Json.MAPPER.readTree(answer.body()).path("error").isString()).isTrue();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
    }

    @Test
    void runwaysOwnRefusalIsPassedOnInItsShapeUncharged() {
        HttpResponse<String> answer = post("/runway/v1/text_to_video", "{\"model\":\"veo3\",\"promptText\":\"a "
                + "forbidden scene\",\"ratio\":\"1280:720\",\"duration\":8}");
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("error").asString()).contains("Validation of body failed");
        assertThat(root.path("issues").get(0).path("path").get(0).asString()).isEqualTo("promptText");
        assertThat(root.has("docUrl")).isFalse();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
    }

    @Test
    void badInputIsRefusedInRunwaysShapeNeverChargedNorSent() {
        String[][] cases = {
                {"image_to_video", "{\"model\":\"gen3a_turbo\",\"promptImage\":\"" + IMAGE + "\",\"ratio\":\"1280:720\"}",
                        "model", "model: \"gen3a_turbo\" (expected: one of gen4.5, gen4_turbo, veo3.1, veo3.1_fast, veo3 on image_to_video)"},
                {"text_to_video", "{\"model\":\"gen4_turbo\",\"promptText\":\"x\",\"ratio\":\"1280:720\"}",
                        "model", "model: \"gen4_turbo\" (expected: one of gen4.5, veo3.1, veo3.1_fast, veo3 on text_to_video)"},
                {"image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\",\"ratio\":\"1280:768\"}",
                        "ratio", "ratio: \"1280:768\" (expected: one of 1280:720, 720:1280, 1104:832, 960:960, 832:1104, 1584:672 (required))"},
                {"image_to_video", "{\"model\":\"veo3.1\",\"promptImage\":\"" + IMAGE + "\",\"ratio\":\"1280:720\",\"duration\":5}",
                        "duration", "duration: 5 (expected: one of 4, 6, 8 for veo3.1)"},
                {"text_to_video", "{\"model\":\"gen4.5\",\"promptText\":\"x\",\"ratio\":\"1280:720\"}",
                        "duration", "duration: (missing) (expected: an integer from 2 to 10 for gen4.5 (required))"},
                {"text_to_video", "{\"model\":\"veo3\",\"promptText\":\"x\",\"ratio\":\"1280:720\",\"duration\":4}",
                        "duration", "duration: 4 (expected: one of 8 for veo3 (required))"},
                {"image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"http://img.example.com/a.png\",\"ratio\":\"1280:720\"}",
                        "promptImage", "promptImage: \"http://img.example.com/a.png\" (expected: an HTTPS URL"},
                {"image_to_video", "{\"model\":\"veo3.1\",\"promptImage\":[{\"uri\":\"" + IMAGE + "\",\"position\":\"last\"}],\"ratio\":\"1280:720\"}",
                        "promptImage", "promptImage: [{\"uri\""},
                {"image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":[{\"uri\":\"" + IMAGE + "\",\"position\":\"last\"}],\"ratio\":\"1280:720\"}",
                        "promptImage[0].position", "promptImage[0].position: \"last\" (expected: one of first"},
                {"text_to_video", "{\"model\":\"veo3.1_fast\",\"promptText\":\"" + "p".repeat(1001) + "\",\"ratio\":\"1280:720\"}",
                        "promptText", "promptText: 1001 characters (expected: at most 1000 characters)"},
                {"image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\",\"ratio\":\"1280:720\",\"audio\":true}",
                        "audio", "audio: true (expected: no audio for gen4_turbo"},
                {"video_to_video", "{\"model\":\"gen4_aleph\",\"videoUri\":\"https://v.example.com/a.mp4\",\"promptText\":\"x\",\"duration\":5}",
                        "duration", "duration: 5 (expected: no duration for gen4_aleph: the video is as long as its input)"},
                {"video_to_video", "{\"model\":\"aleph2\"}", "videoUri", "videoUri: (missing) (expected: an HTTPS URL"},
                {"image_to_video", "[1,2]", "body", "body: not a JSON object"},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = post("/runway/v1/" + c[0], c[1]);
            assertThat(answer.statusCode()).as(c[1] + " → " + answer.body()).isEqualTo(400);
            JsonNode root = Json.MAPPER.readTree(answer.body());
            assertThat(root.path("error").asString()).as(c[1]).startsWith(c[3]);
            assertThat(root.path("issues").get(0).path("path").get(0).asString()).as(c[1]).isEqualTo(c[2]);
            assertThat(root.path("error").asString()).contains("request id: "
                    + answer.headers().firstValue("X-Request-Id").orElseThrow());
        }
        HttpResponse<String> version = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/runway/v1/text_to_video"))
                .header("Authorization", "Bearer " + TestUsers.key("alice")).header("X-Runway-Version", "latest")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"veo3\",\"promptText\":\"x\",\"ratio\":\"1280:720\","
                        + "\"duration\":8}")).build());
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(version.body()).path("error").asString())
                .startsWith("X-Runway-Version: latest (expected: an API version date such as 2024-11-06)");
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersTaskIsNotFound() {
        String id = create("image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\"" + IMAGE + "\","
                + "\"ratio\":\"1280:720\",\"duration\":5}");
        HttpResponse<String> bob = gw.get("/runway/v1/tasks/" + id, TestUsers.key("bob"));
        answers.add(bob.body());
        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(bob.body()).path("error").asString()).startsWith("task_id: " + id);
        HttpResponse<String> feed = gw.post("/runway/feed", TestUsers.key("alice"), "{\"task_id\":\"" + id + "\"}");
        assertThat(feed.statusCode()).as("an official task is not read in the reverse format").isEqualTo(404);
        HttpResponse<String> bobDeletes = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/runway/v1/tasks/" + id))
                .header("Authorization", "Bearer " + TestUsers.key("bob")).DELETE().build());
        assertThat(bobDeletes.statusCode()).isEqualTo(404);
        assertThat(upstream.requests).noneMatch(r -> r.startsWith("DELETE"));
    }

    @Test
    void anUnknownPathIsA404InRunwaysShape() {
        HttpResponse<String> answer = post("/runway/v1/text_to_image", "{}");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(answer.body()).path("error").asString())
                .startsWith("POST /runway/v1/text_to_image (expected: /runway/v1/{image_to_video,text_to_video,");
        HttpResponse<String> put = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/runway/v1/tasks/x"))
                .header("Authorization", "Bearer " + TestUsers.key("alice"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(Json.MAPPER.readTree(put.body()).path("error").isString()).isTrue();
    }

    @Test
    void runwaysSdkPathsUnderRunwaymlWorkToo() {
        HttpResponse<String> answer = post("/runwayml/v1/image_to_video", "{\"model\":\"gen4_turbo\",\"promptImage\":\""
                + IMAGE + "\",\"ratio\":\"1280:720\",\"duration\":5}");
        assertThat(answer.statusCode()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("id").asString();
        assertThat(gw.get("/runwayml/v1/tasks/" + id, TestUsers.key("alice")).statusCode()).isEqualTo(200);
    }

    @Test
    void theChannelProbeReadsTheOrganization() {
        HttpResponse<String> test = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/admin/channels/"
                        + store.channelId("runway") + "/test"))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(test.statusCode()).as(test.body()).isEqualTo(200);
        assertThat(upstream.requests).as(test.body()).contains("GET /v1/organization");
    }
}

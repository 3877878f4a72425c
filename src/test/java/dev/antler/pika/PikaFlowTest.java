package dev.antler.pika;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** Pika over real sockets against a reverse relay: the relay's shapes, the gateway's ids, the money in the store. */
class PikaFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long CALL = Usd.parse("0.20");
    private static final String EXAMPLE = """
            {"pikaffect": "", "promptText": "moving", "model": "1.5", "image": "",
             "options": {"aspectRatio": 1.7777777777777777, "frameRate": 24, "camera": {},
                         "parameters": {"guidanceScale": 12, "motion": 1, "negativePrompt": ""}, "extend": false}}""";

    private FakePika upstream;
    private GatewayHarness gw;
    private StoreView store;
    private final List<String> answers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakePika();
        gw = GatewayHarness.start("""
                channels: [{ name: pika, type: pika, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), FakePika.KEY, TestUsers.key("alice"), TestUsers.key("bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
        for (String answer : answers) {
            assertThat(answer).doesNotContain(upstream.baseUrl()).doesNotContain(FakePika.KEY).doesNotContain("/cdn/");
            upstream.jobs.keySet().forEach(id -> assertThat(answer).as("the relay's id").doesNotContain(id));
        }
    }

    private HttpResponse<String> post(String user, String path, String body) {
        HttpResponse<String> answer = gw.post(path, TestUsers.key(user), body);
        answers.add(answer.body() + answer.headers().map());
        return answer;
    }

    private JsonNode feed(String user, String id) {
        HttpResponse<String> answer = gw.get("/pika/feed/" + id, TestUsers.key(user));
        answers.add(answer.body() + answer.headers().map());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private String generate(String body) {
        HttpResponse<String> answer = post("alice", "/pika/generate", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode created = Json.MAPPER.readTree(answer.body());
        assertThat(created.size()).as("only the id, as the relays answer").isEqualTo(1);
        gw.awaitLedger();
        return created.path("id").asString();
    }

    @Test
    void aGenerationRunsToCompletionChargedPerCall() {
        String id = generate(EXAMPLE.replace("\"image\": \"\"", "\"image\": \"\", \"notify_hook\": \"https://h.example.test/x\""));
        assertThat(id).isNotBlank().isNotEqualTo(upstream.lastId());
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("promptText").asString()).isEqualTo("moving");
        assertThat(sent.path("model").asString()).isEqualTo("1.5");
        assertThat(sent.path("options").path("parameters").path("guidanceScale").asInt()).isEqualTo(12);
        assertThat(sent.path("options").path("aspectRatio").asDouble()).isEqualTo(1.7777777777777777);
        assertThat(sent.has("image")).as("an empty image is as good as none").isFalse();
        assertThat(sent.has("notify_hook")).isFalse();
        assertThat(store.ledger("alice", "charge")).containsExactly(-CALL);

        JsonNode running = feed("alice", id);
        assertThat(running.path("id").asString()).isEqualTo(id);
        assertThat(running.path("promptText").asString()).isEqualTo("moving");
        assertThat(running.path("videos").get(0).path("status").asString()).isEqualTo("pending");
        assertThat(running.path("videos").get(0).path("progress").asInt()).isEqualTo(40);
        assertThat(running.path("videos").get(0).path("resultUrl").isNull()).isTrue();

        JsonNode done = feed("alice", id).path("videos").get(0);
        assertThat(done.path("id").asString()).isEqualTo(id);
        assertThat(done.path("status").asString()).isEqualTo("finished");
        assertThat(done.path("progress").asInt()).isEqualTo(100);
        assertThat(done.path("seed").asLong()).isEqualTo(3183047765L);
        assertThat(done.path("duration").asInt()).isEqualTo(5);
        assertThat(done.path("error").asString()).isEmpty();
        for (String field : List.of("resultUrl", "sharingUrl", "videoPoster", "imageThumb")) {
            assertThat(done.path(field).asString()).as(field).startsWith(gw.baseUrl() + "/results/" + id + "/");
        }
        HttpResponse<String> file = gw.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(done.path("videoPoster").asString())).GET().build());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("pika file /cdn/" + upstream.lastId() + "/poster.jpg");
        assertThat(file.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(upstream.requests).contains("POST /pika/generate", "GET /pika/feed/" + upstream.lastId());

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - CALL).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void aFailureIsRefundedExactlyOnceUnderRacingPollsReadsAndSweeps() throws Exception {
        upstream.failNext = true;
        String id = generate("{\"promptText\":\"a storm\"}");
        feed("alice", id); // pending; the next look sees the error
        TaskPoller poller = gw.gateway().tasks().poller();
        Race.run(12,
                () -> poller.pollOnce(),
                () -> feed("alice", id),
                () -> poller.sweepOnce());
        gw.awaitLedger();
        JsonNode video = feed("alice", id).path("videos").get(0);
        assertThat(video.path("status").asString()).isEqualTo("error");
        assertThat(video.path("error").asString()).isEqualTo("content moderation failed");
        assertThat(store.ledger("alice", "refund")).containsExactly(CALL);
        assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));
        assertThat(store.used("alice")).isZero();
    }

    @Test
    void badInputIsRefusedInOpenAisEnvelopeNamingTheFieldNeverChargedOrSent() {
        String[][] cases = {
                {"{}", "promptText: (missing) (expected: a non-empty string (required))"},
                {"{\"promptText\":\"x\",\"model\":\"3.0\"}", "model: \"3.0\" (expected: one of 1.5, 1.0, 2.0, 2.1, 2.2)"},
                {"{\"promptText\":\"x\",\"pikaffect\":\"Melt\"}", "image: (missing) (expected: an image (URL or base64) for the Pikaffect Melt)"},
                {"{\"promptText\":\"x\",\"options\":{\"aspectRatio\":3}}", "options.aspectRatio: 3 (expected: a number from 0.4 to 2.5)"},
                {"{\"promptText\":\"x\",\"options\":{\"frameRate\":30}}", "options.frameRate: 30 (expected: an integer from 8 to 24)"},
                {"{\"promptText\":\"x\",\"options\":{\"parameters\":{\"guidanceScale\":2}}}", "options.parameters.guidanceScale: 2 (expected: a number from 5 to 25)"},
                {"{\"promptText\":\"x\",\"options\":{\"parameters\":{\"motion\":5}}}", "options.parameters.motion: 5 (expected: an integer from 0 to 4)"},
                {"{\"promptText\":\"x\",\"options\":{\"extend\":true}}", "video: (missing) (expected: the video to extend (URL) when options.extend is true)"},
                {"{\"promptText\":\"x\",\"notify_hook\":\"ftp://x\"}", "notify_hook: \"ftp://x\""},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = post("alice", "/pika/generate", c[0]);
            assertThat(answer.statusCode()).as(c[0] + " → " + answer.body()).isEqualTo(400);
            JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
            assertThat(error.path("message").asString()).as(c[0]).startsWith(c[1]);
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        }
        assertThat(gw.get("/pika/feed/nope", TestUsers.key("alice")).statusCode()).isEqualTo(404);
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersTaskIsNotFound() {
        String id = generate("{\"promptText\":\"a fox\"}");
        HttpResponse<String> bob = gw.get("/pika/feed/" + id, TestUsers.key("bob"));
        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(bob.body()).path("error").path("message").asString()).startsWith("id: " + id);
    }

    @Test
    void theRelaysRefusalAndRateLimitsAreNotCharged() {
        upstream.refuseNext = "prompt rejected";
        HttpResponse<String> refused = post("alice", "/pika/generate", "{\"promptText\":\"x\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(refused.body()).path("error").path("message").asString())
                .contains("prompt rejected");
        upstream.busy.set(1);
        assertThat(post("alice", "/pika/generate", "{\"promptText\":\"x\"}").statusCode()).isEqualTo(429);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();

        String id = generate("{\"promptText\":\"a bee\"}");
        upstream.busy.set(1);
        gw.gateway().tasks().poller().pollOnce();
        assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("pika"))).isTrue();
        feed("alice", id);
        assertThat(feed("alice", id).path("videos").get(0).path("status").asString()).isEqualTo("finished");
    }

    @Test
    void theHookReceivesTheFeedObject() throws Exception {
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
            String id = generate("{\"promptText\":\"a fox\",\"notify_hook\":\"" + url + "\"}");
            feed("alice", id);
            feed("alice", id);
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.stream().noneMatch(d -> d.path("videos").path(0).path("status").asString()
                    .equals("finished"))) {
                assertThat(System.currentTimeMillis()).as("the finished feed arrives: " + received).isLessThan(deadline);
                Thread.sleep(10);
            }
            JsonNode last = received.stream().filter(d -> d.path("videos").path(0).path("status").asString()
                    .equals("finished")).findFirst().orElseThrow();
            assertThat(last.path("id").asString()).isEqualTo(id);
            received.forEach(d -> answers.add(d.toString()));
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aPikaChannelMustNameItsRelay() {
        assertThatThrownBy(() -> GatewayHarness.start("""
                channels: [{ name: pika2, type: pika, key: "k" }]
                """)).hasMessageContaining("base_url");
    }
}

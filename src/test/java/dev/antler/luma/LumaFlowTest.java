package dev.antler.luma;

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

/**
 * Luma over real sockets, in both wire formats against one official upstream: the bodies Luma gets, the answers in
 * the client's format with the gateway's ids, the money in the store, and no upstream host, key or id in any answer.
 */
class LumaFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long RAY2_5S_720P = Usd.parse("0.71");

    private FakeLuma upstream;
    private GatewayHarness gw;
    private StoreView store;
    /** Every answer the gateway gave, for the leak check after each test. */
    private final List<String> answers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeLuma();
        gw = GatewayHarness.start("""
                channels: [{ name: luma, type: luma, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), FakeLuma.KEY, TestUsers.key("alice"), TestUsers.key("bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
        for (String answer : answers) {
            assertThat(answer).doesNotContain(upstream.baseUrl()).doesNotContain(FakeLuma.KEY)
                    .doesNotContain("/cdn/");
            upstream.jobs.keySet().forEach(id -> assertThat(answer).as("Luma's id").doesNotContain(id));
        }
    }

    private HttpResponse<String> post(String user, String path, String body) {
        HttpResponse<String> answer = gw.post(path, TestUsers.key(user), body);
        answers.add(answer.body() + answer.headers().map());
        return answer;
    }

    private HttpResponse<String> get(String user, String path) {
        HttpResponse<String> answer = gw.get(path, TestUsers.key(user));
        answers.add(answer.body() + answer.headers().map());
        return answer;
    }

    private JsonNode ok(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
        return Json.MAPPER.readTree(answer.body());
    }

    private JsonNode submit(String path, String body) {
        JsonNode created = ok(post("alice", path, body));
        gw.awaitLedger();
        return created;
    }

    private HttpResponse<byte[]> download(String url) {
        try {
            return gw.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void anOfficialGenerationRunsToCompletionChargedItsListPrice() {
        JsonNode created = submit("/dream-machine/v1/generations", """
                {"prompt": "a heron at dawn", "aspect_ratio": "16:9", "loop": true,
                 "concepts": [{"key": "dolly_zoom"}], "callback_url": "https://client.example.test/hook"}""");
        String id = created.path("id").asString();
        assertThat(id).isNotBlank();
        assertThat(created.path("state").asString()).isEqualTo("queued");
        assertThat(created.path("generation_type").asString()).isEqualTo("video");
        assertThat(created.path("model").asString()).isEqualTo("ray-2");
        assertThat(created.path("assets").isNull()).isTrue();
        assertThat(created.path("request").path("callback_url").asString()).isEqualTo("https://client.example.test/hook");
        assertThat(created.path("request").path("prompt").asString()).isEqualTo("a heron at dawn");

        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model").asString()).isEqualTo("ray-2");
        assertThat(sent.path("duration").asString()).as("defaults filled in: what is held is made").isEqualTo("5s");
        assertThat(sent.path("resolution").asString()).isEqualTo("720p");
        assertThat(sent.path("loop").asBoolean()).isTrue();
        assertThat(sent.path("concepts").get(0).path("key").asString()).isEqualTo("dolly_zoom");
        assertThat(sent.has("callback_url")).as("the client's callback stays with the gateway").isFalse();
        assertThat(upstream.requests).contains("POST /dream-machine/v1/generations");
        assertThat(store.ledger("alice", "charge")).containsExactly(-RAY2_5S_720P);

        assertThat(ok(get("alice", "/dream-machine/v1/generations/" + id)).path("state").asString())
                .isEqualTo("dreaming");
        JsonNode done = ok(get("alice", "/dream-machine/v1/generations/" + id));
        assertThat(done.path("id").asString()).isEqualTo(id);
        assertThat(done.path("state").asString()).isEqualTo("completed");
        assertThat(done.path("failure_reason").isNull()).isTrue();
        assertThat(done.path("assets").isObject()).isTrue();
        assertThat(done.path("assets").path("progress_video").isNull()).isTrue();
        assertThat(done.path("created_at").asString()).endsWith("Z");
        String video = done.path("assets").path("video").asString();
        String image = done.path("assets").path("image").asString();
        assertThat(video).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(image).startsWith(gw.baseUrl() + "/results/" + id + "/").isNotEqualTo(video);
        HttpResponse<byte[]> bytes = download(video);
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(upstream.result(upstream.lastId() + ".mp4"));
        assertThat(bytes.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(bytes.headers().firstValue("X-Luma-Cdn")).as("only content headers pass").isEmpty();
        assertThat(download(image).body()).isEqualTo(upstream.result(upstream.lastId() + ".jpg"));
        assertThat(download(video.substring(0, video.length() - 1) + "7").statusCode()).isEqualTo(404);

        JsonNode list = ok(get("alice", "/dream-machine/v1/generations?limit=5"));
        assertThat(list.path("generations").size()).isEqualTo(1);
        assertThat(list.path("generations").get(0).path("id").asString()).isEqualTo(id);
        assertThat(list.path("has_more").asBoolean()).isFalse();
        assertThat(ok(get("bob", "/dream-machine/v1/generations")).path("generations").size()).isZero();

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - RAY2_5S_720P);
        assertBalanced("alice");
    }

    @Test
    void theSdkPathAndEachModelDurationAndResolutionArePricedFromTheTable() {
        submit("/dream-machine/v1/generations/video", "{\"model\":\"ray-flash-2\",\"prompt\":\"p\",\"duration\":\"9s\","
                + "\"resolution\":\"1080p\"}");
        submit("/dream-machine/v1/generations", "{\"model\":\"ray-1-6\",\"prompt\":\"p\"}");
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.99"), -Usd.parse("0.35"));
        JsonNode ray16 = upstream.submitted.get(1);
        assertThat(ray16.has("duration") || ray16.has("resolution")).as("ray-1-6 takes neither").isFalse();
    }

    @Test
    void aReverseGenerationIsTranslatedToTheOfficialApiAndAnsweredInItsOwnShape() {
        JsonNode created = submit("/luma/generations", """
                {"user_prompt": "cat dance", "model_name": "ray-v1", "expand_prompt": true, "loop": false,
                 "image_url": "https://img.example.test/a.png", "image_end_url": "https://img.example.test/b.png",
                 "aspect_ratio": "9:16", "duration": "5", "notify_hook": "https://client.example.test/hook"}""");
        String id = created.path("id").asString();
        assertThat(created.path("state").asString()).isEqualTo("pending");
        assertThat(created.path("prompt").asString()).isEqualTo("cat dance");
        assertThat(created.path("video").isNull()).isTrue();
        assertThat(created.has("estimate_wait_seconds")).isTrue();

        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("prompt").asString()).isEqualTo("cat dance");
        assertThat(sent.path("model").asString()).isEqualTo("ray-1-6");
        assertThat(sent.path("aspect_ratio").asString()).isEqualTo("9:16");
        assertThat(sent.path("loop").asBoolean(true)).isFalse();
        assertThat(sent.path("keyframes").path("frame0").path("url").asString()).isEqualTo("https://img.example.test/a.png");
        assertThat(sent.path("keyframes").path("frame0").path("type").asString()).isEqualTo("image");
        assertThat(sent.path("keyframes").path("frame1").path("url").asString()).isEqualTo("https://img.example.test/b.png");
        assertThat(sent.has("expand_prompt") || sent.has("user_prompt") || sent.has("notify_hook")
                || sent.has("image_url")).isFalse();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.35"));

        assertThat(ok(get("alice", "/luma/generations/" + id)).path("state").asString()).isEqualTo("processing");
        JsonNode done = ok(get("alice", "/luma/generations/" + id));
        assertThat(done.path("state").asString()).isEqualTo("completed");
        assertThat(done.path("id").asString()).isEqualTo(id);
        String video = done.path("video").path("url").asString();
        assertThat(video).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(done.path("video").path("download_url").asString()).isEqualTo(video);
        assertThat(done.path("video_raw").path("url").asString()).isEqualTo(video);
        assertThat(done.path("thumbnail").path("url").asString()).startsWith(gw.baseUrl() + "/results/" + id + "/")
                .isNotEqualTo(video);
        assertThat(download(video).body()).isEqualTo(upstream.result(upstream.lastId() + ".mp4"));
        JsonNode official = ok(get("alice", "/dream-machine/v1/generations/" + id));
        assertThat(official.path("state").asString()).as("the same task, read in the other format")
                .isEqualTo("completed");
        assertBalanced("alice");
    }

    @Test
    void anExtendNamesTheGatewaysIdAndLumaGetsItsOwn() {
        String parent = submit("/luma/generations", "{\"user_prompt\":\"a kite\"}").path("id").asString();
        String parentUpstream = upstream.lastId();
        upstream.state(parentUpstream, "completed");

        HttpResponse<String> bobs = post("bob", "/luma/generations/" + parent + "/extend", "{\"user_prompt\":\"more\"}");
        assertThat(bobs.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(bobs.body()).path("detail").asString()).startsWith("id: " + parent);
        assertThat(post("alice", "/luma/generations/nope/extend", "{\"user_prompt\":\"more\"}").statusCode())
                .isEqualTo(404);
        assertThat(upstream.submitted).hasSize(1);

        JsonNode extended = submit("/luma/generations/" + parent + "/extend",
                "{\"user_prompt\":\"the kite flies higher\",\"image_end_url\":\"https://img.example.test/end.png\"}");
        assertThat(extended.path("id").asString()).isNotEqualTo(parent);
        JsonNode sent = upstream.submitted.get(1);
        assertThat(sent.path("keyframes").path("frame0").path("type").asString()).isEqualTo("generation");
        assertThat(sent.path("keyframes").path("frame0").path("id").asString()).isEqualTo(parentUpstream);
        assertThat(sent.path("keyframes").path("frame1").path("url").asString()).isEqualTo("https://img.example.test/end.png");

        JsonNode official = submit("/dream-machine/v1/generations", "{\"prompt\":\"again\",\"keyframes\":{\"frame1\":"
                + "{\"type\":\"generation\",\"id\":\"" + parent + "\"}}}");
        assertThat(upstream.submitted.get(2).path("keyframes").path("frame1").path("id").asString())
                .isEqualTo(parentUpstream);
        assertThat(official.path("request").path("keyframes").path("frame1").path("id").asString())
                .as("the client's request, the gateway's id").isEqualTo(parent);
        assertThat(store.ledger("bob", "charge")).isEmpty();
        assertThat(store.ledger("alice", "charge")).hasSize(3);
    }

    @Test
    void aFailureIsRefundedExactlyOnceUnderRacingPollsReadsAndSweeps() throws Exception {
        upstream.failNext = true;
        String id = submit("/dream-machine/v1/generations", "{\"prompt\":\"a storm\"}").path("id").asString();
        get("alice", "/luma/generations/" + id); // dreaming; the next look sees the failure
        TaskPoller poller = gw.gateway().tasks().poller();
        Race.run(12,
                () -> poller.pollOnce(),
                () -> get("alice", "/dream-machine/v1/generations/" + id),
                () -> get("alice", "/luma/generations/" + id),
                () -> poller.sweepOnce());
        gw.awaitLedger();
        JsonNode failed = ok(get("alice", "/dream-machine/v1/generations/" + id));
        assertThat(failed.path("state").asString()).isEqualTo("failed");
        assertThat(failed.path("failure_reason").asString()).isEqualTo("prompt blocked by moderation");
        JsonNode reverse = ok(get("alice", "/luma/generations/" + id));
        assertThat(reverse.path("state").asString()).isEqualTo("failed");
        assertThat(store.ledger("alice", "refund")).containsExactly(RAY2_5S_720P);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertThat(store.used("alice")).isZero();
        assertBalanced("alice");
    }

    @Test
    void rateLimitsAreNotChargedOnSubmitAndBackOffPolling() {
        upstream.busy.set(1);
        HttpResponse<String> limited = post("alice", "/dream-machine/v1/generations", "{\"prompt\":\"a bee\"}");
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(Json.MAPPER.readTree(limited.body()).has("detail")).isTrue();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();

        String id = submit("/dream-machine/v1/generations", "{\"prompt\":\"a bee\"}").path("id").asString();
        upstream.busy.set(1);
        gw.gateway().tasks().poller().pollOnce();
        assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("luma"))).isTrue();
        get("alice", "/dream-machine/v1/generations/" + id);
        assertThat(ok(get("alice", "/dream-machine/v1/generations/" + id)).path("state").asString())
                .isEqualTo("completed");
    }

    @Test
    void lumasOwnRefusalIsAnsweredInItsEnvelopeUncharged() {
        upstream.refuseNext = "prompt is not allowed";
        HttpResponse<String> refused = post("alice", "/luma/generations", "{\"user_prompt\":\"x\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(refused.body()).path("detail").asString()).contains("prompt is not allowed");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void badInputIsRefusedInLumasEnvelopeNamingTheFieldNeverChargedOrSent() {
        String[][] cases = {
                {"/dream-machine/v1/generations", "{}", "prompt: (missing) (expected: a non-empty string (required))"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"model\":\"ray-9\"}",
                        "model: \"ray-9\" (expected: one of ray-2, ray-flash-2, ray-1-6)"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"duration\":\"7s\"}",
                        "duration: \"7s\" (expected: one of 5s, 9s for ray-2)"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"model\":\"ray-1-6\",\"resolution\":\"1080p\"}",
                        "resolution: \"1080p\" (expected: one of 720p for ray-1-6)"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"aspect_ratio\":\"2:1\"}",
                        "aspect_ratio: \"2:1\" (expected: one of 16:9, 1:1, 9:16, 4:3, 3:4, 21:9, 9:21)"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"keyframes\":{\"frame0\":{\"type\":\"image\"}}}",
                        "keyframes.frame0.url: (missing)"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"keyframes\":{\"frame0\":{\"type\":\"image\","
                        + "\"url\":\"data:image/png;base64,AAAA\"}}}", "keyframes.frame0.url: data:image/png"},
                {"/dream-machine/v1/generations", "{\"prompt\":\"x\",\"callback_url\":\"ftp://x\"}", "callback_url: ftp://x"},
                {"/luma/generations", "{\"prompt\":\"x\"}", "user_prompt: (missing)"},
                {"/luma/generations", "{\"user_prompt\":\"x\",\"model_name\":\"ray-v3\"}",
                        "model_name: \"ray-v3\" (expected: one of ray-v2, ray-v1, ray-2, ray-flash-2, ray-1-6; ray-v3 has "
                                + "no counterpart on Luma's API)"},
                {"/luma/generations", "{\"user_prompt\":\"x\",\"duration\":\"10\"}",
                        "duration: \"10\" (expected: one of \"5\", \"9\" for ray-v2)"},
                {"/luma/generations", "{\"user_prompt\":\"x\",\"resolution\":\"8k\"}",
                        "resolution: \"8k\" (expected: one of 720p, 540p, 1080p, 4k for ray-v2)"},
                {"/luma/generations", "{\"user_prompt\":\"x\",\"image_url\":\"iVBORw0KGgo=\"}", "image_url: iVBORw0KGgo="},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = post("alice", c[0], c[1]);
            assertThat(answer.statusCode()).as(c[1] + " → " + answer.body()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(answer.body()).path("detail").asString()).as(c[1]).startsWith(c[2])
                    .contains("request id: ");
        }
        assertThat(get("alice", "/luma/generations/nope").statusCode()).isEqualTo(404);
        assertThat(get("alice", "/dream-machine/v1/generations/nope").statusCode()).isEqualTo(404);
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersGenerationIsNotFoundInEitherFormat() {
        String id = submit("/dream-machine/v1/generations", "{\"prompt\":\"a fox\"}").path("id").asString();
        HttpResponse<String> official = get("bob", "/dream-machine/v1/generations/" + id);
        assertThat(official.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(official.body()).path("detail").asString()).startsWith("id: " + id);
        assertThat(get("bob", "/luma/generations/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void eachClientsHookReceivesTheGenerationInTheFormatItUsed() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", ex -> {
            JsonNode body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            ((tools.jackson.databind.node.ObjectNode) body).put("_path", ex.getRequestURI().getPath());
            received.add(body);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        try {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort();
            String official = submit("/dream-machine/v1/generations", "{\"prompt\":\"a fox\",\"callback_url\":\""
                    + url + "/official\"}").path("id").asString();
            String reverse = submit("/luma/generations", "{\"user_prompt\":\"a fox\",\"notify_hook\":\""
                    + url + "/reverse\"}").path("id").asString();
            assertThat(upstream.submitted).allMatch(b -> !b.toString().contains(url));
            for (int i = 0; i < 2; i++) {
                get("alice", "/dream-machine/v1/generations/" + official);
                get("alice", "/luma/generations/" + reverse);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.stream().filter(d -> d.path("state").asString().equals("completed")).count() < 2) {
                assertThat(System.currentTimeMillis()).as("both completions arrive: " + received).isLessThan(deadline);
                Thread.sleep(10);
            }
            JsonNode first = received.stream().filter(d -> d.path("_path").asString().equals("/official")
                    && d.path("state").asString().equals("completed")).findFirst().orElseThrow();
            assertThat(first.path("id").asString()).isEqualTo(official);
            assertThat(first.path("generation_type").asString()).isEqualTo("video");
            assertThat(first.path("assets").path("video").asString())
                    .as("the webhook names the gateway's link, on the submit's host")
                    .startsWith(gw.baseUrl() + "/results/" + official + "/");
            assertThat(received.stream().filter(d -> d.path("_path").asString().equals("/official")))
                    .as("Luma's callback states only: dreaming, completed, failed")
                    .noneMatch(d -> d.path("state").asString().equals("queued"));
            JsonNode second = received.stream().filter(d -> d.path("_path").asString().equals("/reverse")
                    && d.path("state").asString().equals("completed")).findFirst().orElseThrow();
            assertThat(second.path("id").asString()).isEqualTo(reverse);
            assertThat(second.path("prompt").asString()).isEqualTo("a fox");
            assertThat(received.stream().filter(d -> d.path("_path").asString().equals("/reverse")))
                    .as("the reverse hook hears of its processing state too")
                    .anyMatch(d -> d.path("state").asString().equals("processing"));
            for (JsonNode delivered : received) {
                answers.add(delivered.toString());
            }
        } finally {
            hook.stop(0);
        }
    }
}

package dev.antler.flux;

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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Flux over real sockets: BFL's own bodies and answers, the gateway's ids and links, money checked in the store. */
class FluxFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long FLUX2_PRO = Usd.parse("0.03");
    private static final String SECRET = "whsec-client-0001";

    /** A webhook receiver: the raw bodies and their signature headers. */
    private record Delivery(byte[] body, String signature) {
        JsonNode json() {
            return Json.MAPPER.readTree(body);
        }
    }

    private FakeBfl upstream;
    private GatewayHarness gw;
    private StoreView store;
    private Path mirror;
    private HttpServer hook;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeBfl();
        mirror = Files.createTempDirectory("antler-flux-mirror-");
        gw = GatewayHarness.start("""
                channels: [{ name: bfl, type: flux, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                mirror: { enabled: true, directory: "%s", retention_hours: 2 }
                """.formatted(upstream.baseUrl(), FakeBfl.KEY, TestUsers.key("alice"), TestUsers.key("bob"), mirror));
        store = new StoreView(gw);
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            deliveries.add(new Delivery(ex.getRequestBody().readAllBytes(),
                    ex.getRequestHeaders().getFirst("X-BFL-Signature")));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
    }

    @AfterEach
    void stop() throws Exception {
        hook.stop(0);
        gw.close();
        upstream.close();
        try (var files = Files.walk(mirror)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
    }

    /** A request with BFL's own key header, as BFL's clients send it. */
    private HttpResponse<String> bfl(String method, String path, String user, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
                        : gw.baseUrl() + path)).header("x-key", TestUsers.key(user));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return gw.send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonNode submit(String model, String body) {
        HttpResponse<String> answer = bfl("POST", "/flux/v1/" + model, "alice", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        noUpstreamIn(answer);
        gw.awaitLedger();
        return Json.MAPPER.readTree(answer.body());
    }

    private JsonNode result(String user, String id) {
        HttpResponse<String> answer = bfl("GET", "/flux/v1/get_result?id=" + id, user, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        noUpstreamIn(answer);
        return Json.MAPPER.readTree(answer.body());
    }

    /** No provider host, key or id in the answer's body or headers. */
    private void noUpstreamIn(HttpResponse<?> answer) {
        String seen = answer.headers().map().toString() + (answer.body() instanceof String s ? s : "");
        for (String secret : new String[] {upstream.baseUrl(), upstream.regionalUrl(), "eu2", "delivery", "sig=",
                FakeBfl.KEY, "x-ms-request-id"}) {
            assertThat(seen).as("an answer naming the provider").doesNotContain(secret);
        }
        if (upstream.lastId != null) {
            assertThat(seen).doesNotContain(upstream.lastId);
        }
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    private List<Delivery> awaitDeliveries(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (deliveries.size() < count) {
            assertThat(System.currentTimeMillis()).as("webhook deliveries: " + deliveries.size()).isLessThan(deadline);
            Thread.sleep(10);
        }
        Thread.sleep(100); // a second (unwanted) delivery would have come by now
        return deliveries;
    }

    /** BFL's documented check: {@code sha256=} + hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8. */
    private static boolean verifiedAsBflDocuments(Delivery delivery, String secret) throws Exception {
        if (delivery.signature() == null || !delivery.signature().startsWith("sha256=")) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(delivery.body()));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                delivery.signature().substring(7).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aGenerationRunsToItsImageServedByTheGatewayAfterBflsLinkExpired() throws Exception {
        JsonNode answer = submit("flux-2-pro", "{\"prompt\":\"a heron at dawn\",\"width\":1024,\"height\":1024,"
                + "\"output_format\":\"png\",\"webhook_url\":\"" + hookUrl() + "\",\"webhook_secret\":\"" + SECRET
                + "\",\"steps_unknown_field\":7}");
        String id = answer.path("id").asString();
        assertThat(id).isNotBlank().isNotEqualTo(upstream.lastId);
        assertThat(answer.path("polling_url").asString()).isEqualTo(gw.baseUrl() + "/flux/v1/get_result?id=" + id);
        assertThat(answer.path("cost").decimalValue()).as("the gateway's charge in BFL credits (USD 0.01)")
                .isEqualByComparingTo("3");
        assertThat(answer.path("output_mp").asDouble()).isEqualTo(1.05);

        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("prompt").asString()).isEqualTo("a heron at dawn");
        assertThat(sent.path("steps_unknown_field").asInt()).as("unchecked fields pass").isEqualTo(7);
        assertThat(sent.has("webhook_url") || sent.has("webhook_secret")).as("the client's webhook stays here").isFalse();
        assertThat(upstream.keys).containsOnly(FakeBfl.KEY);
        assertThat(upstream.requests).contains("POST global /v1/flux-2-pro");
        assertThat(store.ledger("alice", "charge")).containsExactly(-FLUX2_PRO);

        JsonNode pending = result("alice", id);
        assertThat(pending.path("status").asString()).isEqualTo("Pending");
        assertThat(pending.path("progress").asDouble()).isEqualTo(0.5);
        assertThat(pending.path("result").isNull()).isTrue();
        assertThat(upstream.requests).as("the regional polling_url BFL answered is polled, not the global host")
                .contains("GET regional /eu2/v1/get_result").doesNotContain("GET global /v1/get_result");

        JsonNode ready = result("alice", id);
        assertThat(ready.path("id").asString()).isEqualTo(id);
        assertThat(ready.path("status").asString()).isEqualTo("Ready");
        String sample = ready.path("result").path("sample").asString();
        assertThat(sample).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(ready.path("result").path("prompt").asString()).isEqualTo("a heron at dawn");
        assertThat(ready.path("result").path("seed").asLong()).isEqualTo(1234567890L);
        assertThat(ready.path("result").path("duration").asDouble()).isEqualTo(4.5);
        assertThat(ready.path("result").has("start_time") && ready.path("result").has("end_time")).isTrue();

        Delivery webhook = awaitDeliveries(1).get(0);
        assertThat(deliveries).as("BFL calls the webhook once, when finished").hasSize(1);
        assertThat(verifiedAsBflDocuments(webhook, SECRET)).as("signed as BFL signs: " + webhook.signature()).isTrue();
        assertThat(verifiedAsBflDocuments(webhook, "another-secret")).isFalse();
        JsonNode payload = webhook.json();
        assertThat(payload.path("id").asString()).isEqualTo(id);
        assertThat(payload.path("status").asString()).isEqualTo("Ready");
        assertThat(payload.path("result").path("sample").asString()).isEqualTo(sample);
        assertThat(payload.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        String raw = new String(webhook.body(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain(upstream.regionalUrl()).doesNotContain(upstream.lastId).doesNotContain(SECRET);

        // The copy starts as the task succeeds; once made, the image outlives BFL's link.
        long deadline = System.currentTimeMillis() + 10_000;
        while (upstream.deliveries.get() == 0) {
            assertThat(System.currentTimeMillis()).as("the copy is started at once").isLessThan(deadline);
            Thread.sleep(10);
        }
        upstream.expired = true;
        HttpResponse<byte[]> image;
        do {
            assertThat(System.currentTimeMillis()).as("the copy is kept").isLessThan(deadline);
            Thread.sleep(20);
            image = gw.http().send(HttpRequest.newBuilder(URI.create(sample)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } while (image.statusCode() != 200);
        assertThat(image.body()).isEqualTo(FakeBfl.image(upstream.lastId));
        assertThat(image.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        noUpstreamIn(image);

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - FLUX2_PRO);
        assertBalanced("alice");
    }

    @Test
    void aModerationIsRefundedExactlyOnceUnderRacingPollsReadsAndSweeps() throws Exception {
        upstream.outcome = "Content Moderated";
        String id = submit("flux-kontext-pro", "{\"prompt\":\"a storm\",\"aspect_ratio\":\"21:9\",\"webhook_url\":\""
                + hookUrl() + "\",\"webhook_secret\":\"" + SECRET + "\"}").path("id").asString();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.04"));
        result("alice", id); // Pending; the next look sees the moderation
        TaskPoller poller = gw.gateway().tasks().poller();
        Race.run(12,
                () -> poller.pollOnce(),
                () -> result("alice", id),
                () -> poller.sweepOnce());
        gw.awaitLedger();
        JsonNode shown = result("alice", id);
        assertThat(shown.path("status").asString()).isEqualTo("Content Moderated");
        assertThat(shown.path("result").isNull()).isTrue();
        assertThat(store.ledger("alice", "refund")).containsExactly(Usd.parse("0.04"));
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced("alice");

        Delivery webhook = awaitDeliveries(1).get(0);
        assertThat(deliveries).hasSize(1);
        assertThat(verifiedAsBflDocuments(webhook, SECRET)).isTrue();
        JsonNode payload = webhook.json();
        assertThat(payload.path("status").asString()).isEqualTo("Error");
        assertThat(payload.path("error").asString()).isEqualTo("content_policy_violation");
        assertThat(payload.path("message").asString()).contains("Content Moderated");
        assertThat(payload.has("result")).isFalse();
    }

    @Test
    void anErrorAndARequestModerationAreRefundedAndShownInBflsWords() {
        upstream.outcome = "Error";
        String failed = submit("flux-dev", "{\"prompt\":\"a kite\",\"width\":512,\"height\":768}").path("id").asString();
        upstream.outcome = "Request Moderated";
        String moderated = submit("flux-pro-1.1-ultra", "{\"prompt\":\"a crowd\",\"raw\":true}").path("id").asString();
        TaskPoller poller = gw.gateway().tasks().poller();
        poller.pollOnce();
        poller.pollOnce();
        gw.awaitLedger();
        assertThat(result("alice", failed).path("status").asString()).isEqualTo("Error");
        assertThat(result("alice", moderated).path("status").asString()).isEqualTo("Request Moderated");
        assertThat(store.ledger("alice", "refund")).containsExactlyInAnyOrder(Usd.parse("0.025"), Usd.parse("0.06"));
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced("alice");
    }

    @Test
    void bflsOwnRefusalOfTheInputReachesTheClientUncharged() {
        upstream.refuse = true;
        HttpResponse<String> answer = bfl("POST", "/flux/v1/flux-2-klein-4b", "alice", "{\"prompt\":\"x\"}");
        assertThat(answer.statusCode()).isEqualTo(422);
        JsonNode detail = Json.MAPPER.readTree(answer.body()).path("detail");
        assertThat(detail.get(0).path("loc").get(1).asString()).isEqualTo("safety_tolerance");
        noUpstreamIn(answer);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void badInputIsRefusedInBflsShapeAndNeverChargedOrSent() {
        String[][] cases = {
                {"flux-2-pro", "{}", "prompt", "prompt: (missing) (expected: a non-empty string (required))"},
                {"flux-2-pro", "{\"prompt\":\"x\",\"width\":1000}", "width", "width: 1000 (expected: a multiple of 16"},
                {"flux-2-max", "{\"prompt\":\"x\",\"width\":4096,\"height\":2048}", "width", "width: 4096 x 2048 (expected: at most 4194304 pixels"},
                {"flux-pro-1.1", "{\"prompt\":\"x\",\"height\":2048}", "height", "height: 2048 (expected: a multiple of 32 from 256 to 1440)"},
                {"flux-kontext-max", "{\"prompt\":\"x\",\"aspect_ratio\":\"32:9\"}", "aspect_ratio", "aspect_ratio: \"32:9\" (expected: a ratio from 21:9 to 9:21)"},
                {"flux-pro-1.1-ultra", "{\"prompt\":\"x\",\"aspect_ratio\":\"wide\"}", "aspect_ratio", "aspect_ratio: \"wide\""},
                {"flux-dev", "{\"prompt\":\"x\",\"output_format\":\"gif\"}", "output_format", "output_format: \"gif\" (expected: one of jpeg, png)"},
                {"flux-2-klein-9b", "{\"prompt\":\"x\",\"input_image_5\":\"https://img.test/5.png\"}", "input_image_5", "input_image_5: \"https://img.test/5.png\" (expected: input_image and input_image_2 to input_image_4 only"},
                {"flux-2-pro", "{\"prompt\":\"x\",\"input_image\":42}", "input_image", "input_image: 42 (expected: a non-empty string)"},
                {"flux-pro-1.0-fill", "{\"prompt\":\"x\"}", "image", "image: (missing)"},
                {"flux-pro-1.0-canny", "{\"prompt\":\"x\"}", "control_image", "control_image: (missing)"},
                {"flux-pro-1.0-expand", "{\"image\":\"aGk=\",\"top\":-1}", "top", "top: -1 (expected: an integer from 0 to 2048)"},
                {"flux-2-flex", "{\"prompt\":\"x\",\"steps\":51}", "steps", "steps: 51 (expected: an integer from 1 to 50)"},
                {"flux-pro", "{\"prompt\":\"x\",\"safety_tolerance\":7}", "safety_tolerance", "safety_tolerance: 7"},
                {"flux-2-pro", "{\"prompt\":\"x\",\"webhook_url\":\"ftp://hooks.test/x\"}", "webhook_url", "webhook_url: \"ftp://hooks.test/x\" (expected: an http(s) URL"},
                {"flux-2-pro", "{\"prompt\":\"x\",\"webhook_secret\":\"s\"}", "webhook_url", "webhook_url: (missing) (expected: a URL for the webhook_secret"},
                {"flux-2-pro", "[1]", "body", "body: (not a JSON object)"},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = bfl("POST", "/flux/v1/" + c[0], "alice", c[1]);
            assertThat(answer.statusCode()).as(c[0] + " " + c[1] + ": " + answer.body()).isEqualTo(422);
            JsonNode root = Json.MAPPER.readTree(answer.body());
            JsonNode item = root.path("detail").get(0);
            assertThat(item.path("loc").get(0).asString()).isEqualTo("body");
            assertThat(item.path("loc").get(1).asString()).isEqualTo(c[2]);
            assertThat(item.path("msg").asString()).startsWith(c[3]);
            assertThat(item.path("type").asString()).isEqualTo("value_error");
            assertThat(root.path("request_id").asString()).isNotBlank();
        }
        HttpResponse<String> unknown = bfl("POST", "/flux/v1/flux-9-ultra", "alice", "{\"prompt\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("detail").asString())
                .startsWith("model: flux-9-ultra (expected: one of flux-2-max, flux-2-pro");
        HttpResponse<String> noId = bfl("GET", "/flux/v1/get_result", "alice", null);
        assertThat(noId.statusCode()).isEqualTo(422);
        assertThat(Json.MAPPER.readTree(noId.body()).path("detail").get(0).path("loc").toString())
                .isEqualTo("[\"query\",\"id\"]");
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersOrAnUnknownTaskIsNotFound() {
        String id = submit("flux-2-pro", "{\"prompt\":\"a fox\"}").path("id").asString();
        for (String[] ask : new String[][] {{"bob", id}, {"alice", "nope"}, {"alice", upstream.lastId}}) {
            HttpResponse<String> answer = bfl("GET", "/flux/v1/get_result?id=" + ask[1], ask[0], null);
            assertThat(answer.statusCode()).isEqualTo(404);
            JsonNode root = Json.MAPPER.readTree(answer.body());
            assertThat(root.path("status").asString()).isEqualTo("Task not found");
            assertThat(root.path("detail").asString()).contains("expected: the id of one of your Flux tasks");
        }
        HttpResponse<String> bearer = gw.get("/flux/v1/get_result?id=" + id, TestUsers.key("alice"));
        assertThat(bearer.statusCode()).as("the gateway's usual key header works too").isEqualTo(200);
        assertThat(bfl("GET", "/flux/v1/get_result?id=" + id, "nobody", null).statusCode()).isEqualTo(401);
    }

    @Test
    void a429OnPollBacksOffAndTheTaskStillCompletes() {
        String id = submit("flux-2-pro", "{\"prompt\":\"a bee\"}").path("id").asString();
        upstream.busy.set(1);
        gw.gateway().tasks().poller().pollOnce();
        assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("bfl"))).isTrue();
        result("alice", id);
        assertThat(result("alice", id).path("status").asString()).isEqualTo("Ready");
    }
}

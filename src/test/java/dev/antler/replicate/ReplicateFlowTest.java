package dev.antler.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.TaskPoller;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.Race;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Replicate over real sockets: Replicate's bodies and answers, the gateway's ids and links, money in the store. */
class ReplicateFlowTest {

    private static final long OPENING = Usd.parse("10");
    private static final long SCHNELL = Usd.parse("0.003");
    private static final long FLUX_PRO = Usd.parse("0.04");
    private static final long SDXL_SECOND = Usd.parse("0.000975");
    private static final String SCHNELL_ROUTE = "/replicate/v1/models/black-forest-labs/flux-schnell/predictions";

    private FakeReplicate upstream;
    private GatewayHarness gw;
    private StoreView store;
    /** Every answer the clients got, headers included, for the leak check. */
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeReplicate();
        gw = GatewayHarness.start("""
                channels: [{ name: replicate, type: replicate, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), FakeReplicate.KEY, TestUsers.key("alice"), TestUsers.key("bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        try {
            for (String answer : seen) {
                assertNoLeak(answer);
            }
        } finally {
            gw.close();
            upstream.close();
        }
    }

    private void assertNoLeak(String text) {
        assertThat(text).as("no upstream host, key or id").doesNotContain(upstream.baseUrl())
                .doesNotContain(FakeReplicate.KEY).doesNotContain("upid").doesNotContain("/files/")
                .doesNotContain("dp-a557");
    }

    private HttpResponse<String> post(String path, String body, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + TestUsers.key("alice"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return record(gw.send(request.build()));
    }

    private HttpResponse<String> record(HttpResponse<String> answer) {
        seen.add(answer.headers().map() + "\n" + answer.body());
        return answer;
    }

    private JsonNode created(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        gw.awaitLedger();
        return Json.MAPPER.readTree(answer.body());
    }

    private JsonNode get(String user, String id) {
        HttpResponse<String> answer = record(gw.get("/replicate/v1/predictions/" + id, TestUsers.key(user)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void aModelsPredictionRunsToCompletionChargedPerImageWithTheGatewaysLinks() {
        JsonNode p = created(post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"a heron\",\"num_outputs\":2}}", null));
        String id = p.path("id").asString();
        assertThat(p.path("status").asString()).isEqualTo("starting");
        assertThat(p.path("model").asString()).isEqualTo("black-forest-labs/flux-schnell");
        assertThat(p.path("version").asString()).isEqualTo("hidden");
        assertThat(p.path("input").path("prompt").asString()).isEqualTo("a heron");
        assertThat(p.path("output").isNull()).isTrue();
        assertThat(p.path("urls").path("get").asString()).isEqualTo(gw.baseUrl() + "/replicate/v1/predictions/" + id);
        assertThat(p.path("urls").path("cancel").asString()).endsWith("/replicate/v1/predictions/" + id + "/cancel");
        assertThat(p.path("urls").has("stream")).isFalse();
        assertThat(p.path("urls").has("web")).isFalse();
        assertThat(upstream.requests).containsExactly("POST /v1/models/black-forest-labs/flux-schnell/predictions");
        JsonNode sent = upstream.created.get(0);
        assertThat(sent.path("input").path("num_outputs").asInt()).isEqualTo(2);
        assertThat(sent.has("webhook")).isFalse();
        assertThat(store.ledger("alice", "charge")).containsExactly(-2 * SCHNELL);

        assertThat(get("alice", id).path("status").asString()).isEqualTo("processing");
        JsonNode done = get("alice", id);
        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        assertThat(done.path("output")).hasSize(2);
        String link = done.path("output").get(1).asString();
        assertThat(link).startsWith(gw.baseUrl() + "/results/" + id + "/").endsWith("/1");
        assertThat(done.path("metrics").path("predict_time").asDouble()).isEqualTo(2.3);
        assertThat(done.path("logs").asString()).contains("step 2/2");
        assertThat(done.path("completed_at").asString()).endsWith("Z");
        assertThat(done.path("error").isNull()).isTrue();

        HttpResponse<byte[]> file = bytes(link);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(FakeReplicate.file(upstream.lastId() + "-1.webp"));
        seen.add(file.headers().map().toString());

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 2 * SCHNELL);
        assertBalanced("alice");
    }

    private HttpResponse<byte[]> bytes(String url) {
        try {
            return gw.http().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aVersionPredictionPricedPerSecondIsSettledOnThePredictTime() {
        JsonNode p = created(post("/replicate/v1/predictions", "{\"version\":\"stability-ai/sdxl:"
                + FakeReplicate.SDXL_VERSION + "\",\"input\":{\"prompt\":\"a fox\"}}", null));
        String id = p.path("id").asString();
        assertThat(p.path("model").asString()).isEqualTo("stability-ai/sdxl");
        assertThat(p.path("version").asString()).isEqualTo(FakeReplicate.SDXL_VERSION);
        assertThat(upstream.requests).containsExactly("POST /v1/predictions");
        assertThat(upstream.created.get(0).path("version").asString()).isEqualTo(FakeReplicate.SDXL_VERSION);
        assertThat(store.ledger("alice", "charge")).as("held and charged for %d s", Billing.HELD_SECONDS)
                .containsExactly(-Billing.HELD_SECONDS * SDXL_SECOND);

        TaskPoller poller = gw.gateway().tasks().poller();
        poller.pollOnce();
        poller.pollOnce();
        gw.awaitLedger();
        JsonNode done = get("alice", id);
        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        assertThat(done.path("output").get(0).asString()).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(store.ledger("alice", "refund")).as("2.3 s of predict_time billed as 3 s")
                .containsExactly((Billing.HELD_SECONDS - 3) * SDXL_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 3 * SDXL_SECOND);
        assertBalanced("alice");
    }

    @Test
    void preferWaitAnswersTheFinishedPredictionWithoutSendingPreferUpstream() {
        long started = System.nanoTime();
        JsonNode p = created(post("/replicate/v1/models/black-forest-labs/flux-1.1-pro/predictions",
                "{\"input\":{\"prompt\":\"a kite\"}}", "wait=10"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(p.path("status").asString()).isEqualTo("succeeded");
        assertThat(p.path("output").asString()).startsWith(gw.baseUrl() + "/results/" + p.path("id").asString());
        assertThat(tookMs).as("answered when it ended, not at the deadline").isLessThan(8000);
        assertThat(upstream.headers).allMatch(h -> !h.containsKey("prefer"));
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING - FLUX_PRO);
        assertBalanced("alice");
    }

    @Test
    void preferWaitAnswersAnUnfinishedPredictionAtTheDeadline() {
        upstream.steps = 1000;
        long started = System.nanoTime();
        JsonNode p = created(post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"a slow one\"}}", "wait=1"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(p.path("status").asString()).isEqualTo("processing");
        assertThat(p.path("output").isNull()).isTrue();
        assertThat(tookMs).isBetween(900L, 8000L);
        assertThat(upstream.requests.stream().filter(r -> r.startsWith("GET")).count())
                .as("looked upstream a few times meanwhile").isBetween(1L, 4L);
    }

    @Test
    void aBadPreferHeaderIsRefusedUncharged() {
        HttpResponse<String> answer = post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"x\"}}", "wait=61");
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode problem = Json.MAPPER.readTree(answer.body());
        assertThat(problem.path("title").asString()).isEqualTo("Bad request");
        assertThat(problem.path("detail").asString())
                .startsWith("Prefer: wait=61 (expected: wait, or wait=n with n an integer from 1 to 60)");
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(upstream.requests).isEmpty();
    }

    @Test
    void aCancelIsRefundedOnce() {
        upstream.steps = 1000;
        String id = created(post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"a bee\"}}", null)).path("id").asString();
        HttpResponse<String> first = record(gw.post("/replicate/v1/predictions/" + id + "/cancel",
                TestUsers.key("alice"), ""));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(first.body()).path("status").asString()).isEqualTo("canceled");
        assertThat(upstream.requests).contains("POST /v1/predictions/" + upstream.lastId() + "/cancel");
        HttpResponse<String> again = record(gw.post("/replicate/v1/predictions/" + id + "/cancel",
                TestUsers.key("alice"), ""));
        assertThat(Json.MAPPER.readTree(again.body()).path("status").asString()).isEqualTo("canceled");
        gw.gateway().tasks().poller().pollOnce();
        assertThat(get("alice", id).path("status").asString()).isEqualTo("canceled");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(SCHNELL);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced("alice");
    }

    @Test
    void aFailureIsRefundedExactlyOnceUnderRacingPollsReadsAndSweeps() throws Exception {
        upstream.failNext = true;
        String id = created(post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"a storm\"}}", null)).path("id").asString();
        get("alice", id); // processing; the next look sees the failure
        TaskPoller poller = gw.gateway().tasks().poller();
        Race.run(12,
                () -> poller.pollOnce(),
                () -> get("alice", id),
                () -> poller.sweepOnce());
        gw.awaitLedger();
        JsonNode p = get("alice", id);
        assertThat(p.path("status").asString()).isEqualTo("failed");
        assertThat(p.path("error").asString()).startsWith("NSFW content detected");
        assertThat(p.path("output").isNull()).isTrue();
        assertThat(store.ledger("alice", "refund")).containsExactly(SCHNELL);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertBalanced("alice");
    }

    @Test
    void anUnknownOrUnpricedModelIsReplicatesNotFoundUncharged() {
        for (String model : List.of("acme/unpriced", "nobody/nothing")) {
            HttpResponse<String> answer = post("/replicate/v1/models/" + model + "/predictions",
                    "{\"input\":{\"prompt\":\"x\"}}", null);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
            JsonNode problem = Json.MAPPER.readTree(answer.body());
            assertThat(problem.path("title").asString()).isEqualTo("Not found");
            assertThat(problem.path("detail").asString()).startsWith("model: " + model + " (expected: a model this gateway offers");
            assertThat(problem.path("status").asInt()).isEqualTo(404);
        }
        HttpResponse<String> version = post("/replicate/v1/predictions", "{\"version\":\"" + "ab".repeat(32)
                + "\",\"input\":{}}", null);
        assertThat(version.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(version.body()).path("detail").asString()).startsWith("version: " + "ab".repeat(32));
        gw.awaitLedger();
        assertThat(upstream.requests).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
    }

    @Test
    void badInputIsRefusedInReplicatesShapeNeverChargedOrSent() {
        String[][] cases = {
                {SCHNELL_ROUTE, "{}", "input: (missing) (expected: an object of the model's inputs)"},
                {SCHNELL_ROUTE, "[1]", "body: not a JSON object"},
                {SCHNELL_ROUTE, "{\"input\":{},\"webhook\":\"ftp://x\"}", "webhook: \"ftp://x\" (expected: an http(s) URL"},
                {SCHNELL_ROUTE, "{\"input\":{},\"webhook\":\"https://h.test/\",\"webhook_events_filter\":[\"done\"]}",
                        "webhook_events_filter: \"done\" (expected: each one of start, output, logs, completed)"},
                {"/replicate/v1/predictions", "{\"input\":{}}", "version: (missing) (expected: owner/name, "},
                {"/replicate/v1/predictions", "{\"version\":\"a b\",\"input\":{}}", "version: \"a b\""},
        };
        for (String[] c : cases) {
            HttpResponse<String> answer = post(c[0], c[1], null);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            JsonNode problem = Json.MAPPER.readTree(answer.body());
            assertThat(problem.path("detail").asString()).startsWith(c[2]);
            assertThat(problem.path("status").asInt()).isEqualTo(400);
        }
        gw.awaitLedger();
        assertThat(upstream.requests).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anUpstreamRefusalIsItsProblemUncharged() {
        upstream.refuseNext = true;
        HttpResponse<String> answer = post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":7}}", null);
        assertThat(answer.statusCode()).isEqualTo(422);
        JsonNode problem = Json.MAPPER.readTree(answer.body());
        assertThat(problem.path("title").asString()).isEqualTo("Input validation failed");
        assertThat(problem.path("detail").asString()).contains("input.prompt");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }

    @Test
    void anotherUsersPredictionIsNotFound() {
        String id = created(post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"a fox\"}}", null)).path("id").asString();
        HttpResponse<String> bob = record(gw.get("/replicate/v1/predictions/" + id, TestUsers.key("bob")));
        assertThat(bob.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(bob.body()).path("title").asString()).isEqualTo("Not found");
        HttpResponse<String> cancel = record(gw.post("/replicate/v1/predictions/" + id + "/cancel", TestUsers.key("bob"), ""));
        assertThat(cancel.statusCode()).isEqualTo(404);
        assertThat(upstream.requests).noneMatch(r -> r.endsWith("/cancel"));
    }

    @Test
    void a429OnSubmitIsRefusedUnchargedAndOnPollBacksOff() {
        upstream.busy.set(1);
        HttpResponse<String> busy = post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"x\"}}", null);
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(429);
        assertThat(Json.MAPPER.readTree(busy.body()).path("title").asString()).isEqualTo("Request was throttled");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();

        String id = created(post(SCHNELL_ROUTE, "{\"input\":{\"prompt\":\"a bee\"}}", null)).path("id").asString();
        upstream.busy.set(1);
        gw.gateway().tasks().poller().pollOnce();
        assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("replicate"))).isTrue();
        get("alice", id);
        assertThat(get("alice", id).path("status").asString()).isEqualTo("succeeded");
    }
}

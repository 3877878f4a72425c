package dev.antler.midjourney;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MidjourneyFlowTest {

    static final String ALICE = "sk-alice-mj-test-0001";
    static final String BOB = "sk-bob-mj-test-0001";

    private FakeMidjourney upstream;
    private GatewayHarness gw;
    private StoreView store;

    static String yaml(FakeMidjourney upstream, String tasks) {
        return """
                channels: [{ name: mj, type: midjourney, base_url: "%s", key: %s }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: %s
                """.formatted(upstream.baseUrl(), FakeMidjourney.SECRET, ALICE, BOB, tasks);
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeMidjourney();
        gw = GatewayHarness.start(yaml(upstream, "{ poll_interval_ms: 600000 }"));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    static final java.util.SortedSet<String> READS = new java.util.TreeSet<>(
            List.of("mj.fetch", "mj.image", "mj.image_seed", "mj.list"));

    /** The usage rows of submits (the charged endpoints), without the zero-cost reads. */
    static List<String> submits(List<StoreView.UsageRow> rows) {
        return rows.stream().map(StoreView.UsageRow::endpoint).filter(e -> !READS.contains(e)).toList();
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    static JsonNode fetchUntil(GatewayHarness gw, String key, String id, String status) {
        JsonNode task = null;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = gw.get("/mj/task/" + id + "/fetch", key);
            assertEquals(200, r.statusCode(), r.body());
            task = json(r);
            if (task.path("status").asString().equals(status)) {
                return task;
            }
        }
        throw new AssertionError("task " + id + " never reached " + status + ": " + task);
    }

    @Test
    void imagineFetchUpscaleIsBilledPerActionAndHidesUpstreamIds() throws Exception {
        JsonNode submitted = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"a red fox --ar 16:9\"}"));
        assertEquals(1, submitted.path("code").asInt(), submitted.toString());
        String id = submitted.path("result").asString();
        assertFalse(upstream.upstreamIds().contains(id), "the client sees the gateway's id, not the upstream's");

        JsonNode done = fetchUntil(gw, ALICE, id, "SUCCESS");
        assertEquals(id, done.path("id").asString());
        assertEquals("IMAGINE", done.path("action").asString());
        assertEquals("100%", done.path("progress").asString());
        String imageUrl = done.path("imageUrl").asString();
        assertEquals(gw.baseUrl() + "/mj/image/" + id, imageUrl);
        HttpResponse<byte[]> image = gw.http().send(HttpRequest.newBuilder(URI.create(imageUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode());
        assertArrayEquals(FakeMidjourney.PNG, image.body());

        String u1 = done.path("buttons").get(0).path("customId").asString();
        assertTrue(u1.startsWith("MJ::JOB::upsample::1::"), u1);
        JsonNode upscale = json(gw.post("/mj/submit/action", ALICE,
                "{\"customId\":\"" + u1 + "\",\"taskId\":\"" + id + "\"}"));
        assertEquals(1, upscale.path("code").asInt(), upscale.toString());
        Task parent = gw.gateway().tasks().store().find(id).orElseThrow();
        assertEquals(parent.upstreamId(), upstream.submits.get(1).path("taskId").asString(),
                "the upstream is given its own id for the parent task");
        JsonNode upscaled = fetchUntil(gw, ALICE, upscale.path("result").asString(), "SUCCESS");
        assertEquals("UPSCALE", upscaled.path("action").asString());

        HttpResponse<String> viaSecret = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/mj/task/" + id
                + "/fetch")).header("mj-api-secret", ALICE).GET().build());
        assertEquals(200, viaSecret.statusCode(), "midjourney-proxy clients send their key as mj-api-secret");
        HttpResponse<String> seedAnswer = gw.get("/mj/task/" + id + "/image-seed", ALICE);
        assertEquals(200, seedAnswer.statusCode(), seedAnswer.body());
        JsonNode seed = json(seedAnswer);
        assertEquals("424242", seed.path("result").asString());
        JsonNode listed = json(gw.post("/mj/task/list-by-condition", ALICE,
                "{\"ids\":[\"" + id + "\",\"" + upscale.path("result").asString() + "\"]}"));
        assertEquals(2, listed.size());

        gw.awaitLedger();
        long expected = Usd.parse("10") - Usd.parse("0.05") - Usd.parse("0.02");
        assertEquals(expected, store.balance("alice"));
        assertEquals(store.ledgerSum("alice"), store.balance("alice"));
        assertEquals(List.of(-Usd.parse("0.05"), -Usd.parse("0.02")), store.ledger("alice", "charge"));
        assertEquals(List.of("mj.imagine", "mj.upscale"), submits(store.usage("alice")));
        // The free routes that ask the upstream (or the store) are logged too, at zero cost.
        List<StoreView.UsageRow> reads = store.usage("alice").stream()
                .filter(r -> READS.contains(r.endpoint())).toList();
        assertEquals(READS, reads.stream().map(StoreView.UsageRow::endpoint).collect(
                java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        assertTrue(reads.stream().allMatch(r -> r.costNanos() == 0 && r.statusCode() == 200), reads.toString());
        assertTrue(reads.stream().filter(r -> r.endpoint().equals("mj.image_seed"))
                .allMatch(r -> r.channelId() == store.channelId("mj")), "image-seed names the channel it asked");
    }

    @Test
    void relaxModeIsPricedPerModeAndSentWithItsPrefix() {
        JsonNode submitted = json(gw.post("/mj-relax/mj/submit/imagine", ALICE, "{\"prompt\":\"a cat\"}"));
        assertEquals(1, submitted.path("code").asInt(), submitted.toString());
        assertTrue(upstream.requests.contains("POST /mj-relax/mj/submit/imagine"), upstream.requests.toString());
        gw.awaitLedger();
        assertEquals(Usd.parse("10") - Usd.parse("0.025"), store.balance("alice"));
    }

    @Test
    void aModalTaskTakesItsInputThroughSubmitModal() {
        String id = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"zoom modal\"}")).path("result").asString();
        HttpResponse<String> early = gw.post("/mj/submit/modal", ALICE, "{\"taskId\":\"" + id + "\",\"prompt\":\"x\"}");
        assertEquals(400, early.statusCode(), "not in MODAL yet");
        fetchUntil(gw, ALICE, id, "MODAL");
        JsonNode modal = json(gw.post("/mj/submit/modal", ALICE, "{\"taskId\":\"" + id + "\",\"prompt\":\"wider\"}"));
        assertEquals(1, modal.path("code").asInt(), modal.toString());
        Task parent = gw.gateway().tasks().store().find(id).orElseThrow();
        assertEquals(parent.upstreamId(), upstream.submits.get(1).path("taskId").asString());
        gw.awaitLedger();
        assertEquals(List.of(-Usd.parse("0.05"), -Usd.parse("0.05")), store.ledger("alice", "charge"));
        assertEquals(List.of("mj.imagine", "mj.modal"), submits(store.usage("alice")));
    }

    @Test
    void failureIsRefundedExactlyOnceAndShownInTheTask() {
        String id = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"please fail\"}")).path("result").asString();
        JsonNode failed = fetchUntil(gw, ALICE, id, "FAILURE");
        assertTrue(failed.path("refunded").asBoolean(), failed.toString());
        assertEquals("Banned prompt detected by the moderator", failed.path("failReason").asString());
        gw.gateway().tasks().poller().round();
        gw.get("/mj/task/" + id + "/fetch", ALICE);
        gw.awaitLedger();
        assertEquals(List.of(Usd.parse("0.05")), store.ledger("alice", "refund"));
        assertEquals(Usd.parse("10"), store.balance("alice"));
        assertEquals(0, store.used("alice"), "a refund reverses the used total too");
        assertEquals(store.ledgerSum("alice"), store.balance("alice"));

        HttpResponse<String> admin = gw.get("/api/admin/tasks?status=failure", GatewayHarness.ADMIN_KEY);
        assertEquals(200, admin.statusCode(), admin.body());
        JsonNode row = json(admin).path("data").get(0);
        assertEquals(id, row.path("id").asString());
        assertEquals("refunded", row.path("refund_state").asString());
        assertEquals("charged", row.path("charge_state").asString());
        assertFalse(row.has("upstream_id"), "the upstream id is not shown");
        assertEquals(200, gw.get("/api/admin/tasks/" + id, GatewayHarness.ADMIN_KEY).statusCode());
        assertEquals(404, gw.get("/api/admin/tasks/nope", GatewayHarness.ADMIN_KEY).statusCode());
        assertEquals(400, gw.get("/api/admin/tasks?status=DONE", GatewayHarness.ADMIN_KEY).statusCode());
    }

    @Test
    void aCancelledTaskIsRefundedByThePoller() {
        String id = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"cancel me\"}")).path("result").asString();
        gw.awaitLedger(); // a refund waits for its charge to be written; the rounds below run faster than that
        for (int i = 0; i < 4; i++) {
            gw.gateway().tasks().poller().round();
        }
        assertEquals(TaskStatus.CANCEL, gw.gateway().tasks().store().find(id).orElseThrow().status());
        gw.awaitLedger();
        assertEquals(List.of(Usd.parse("0.05")), store.ledger("alice", "refund"));
        assertEquals(Usd.parse("10"), store.balance("alice"));
        assertTrue(upstream.listCalls.get() >= 4);
        assertEquals(List.of("mj.imagine"), store.usage("alice").stream().map(StoreView.UsageRow::endpoint).toList(),
                "the background polls write no usage rows");
    }

    @Test
    void anUnreachableUpstreamChargesNothing() throws Exception {
        int dead;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        try (GatewayHarness down = GatewayHarness.start("""
                channels: [{ name: mj, type: midjourney, base_url: "http://127.0.0.1:%d", key: s }]
                users: [{ name: carol, balance: 1, keys: [{ key: sk-carol-mj-test-01 }] }]
                """.formatted(dead))) {
            HttpResponse<String> r = down.post("/mj/submit/imagine", "sk-carol-mj-test-01", "{\"prompt\":\"x\"}");
            assertEquals(502, r.statusCode(), r.body());
            assertEquals(9, json(r).path("code").asInt());
            down.awaitLedger();
            StoreView view = new StoreView(down);
            assertEquals(Usd.parse("1"), view.balance("carol"));
            assertEquals(0, view.onlyUsage("carol").costNanos());
        }
    }

    @Test
    void pollerDrivesTasksAndBacksOffOn429WithoutChangingThem() {
        String id = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"a dog\"}")).path("result").asString();
        upstream.busy = true;
        assertTrue(gw.gateway().tasks().poller().round());
        long channel = store.channelId("mj");
        assertTrue(gw.gateway().tasks().poller().backingOff(channel));
        assertEquals(TaskStatus.SUBMITTED, gw.gateway().tasks().store().find(id).orElseThrow().status());
        int calls = upstream.listCalls.get();
        gw.gateway().tasks().poller().round();
        assertEquals(calls, upstream.listCalls.get(), "a channel backing off is not polled");
    }

    @Test
    void badInputIsRefusedInTheMjShapeAndNeverCharged() {
        HttpResponse<String> noPrompt = gw.post("/mj/submit/imagine", BOB, "{\"botType\":\"MID_JOURNEY\"}");
        assertEquals(400, noPrompt.statusCode());
        assertEquals(4, json(noPrompt).path("code").asInt());
        assertTrue(json(noPrompt).path("description").asString().startsWith("prompt: missing"), noPrompt.body());

        HttpResponse<String> badBase64 = gw.post("/mj/submit/blend", BOB, "{\"base64Array\":[\"data:image/png;base64,!!!\","
                + "\"data:image/png;base64,iVBORw0KGgo=\"]}");
        assertEquals(400, badBase64.statusCode(), badBase64.body());
        assertTrue(json(badBase64).path("description").asString().contains("base64Array[0]"), badBase64.body());
        assertEquals(400, gw.post("/mj/submit/blend", BOB, "{}").statusCode());
        assertEquals(400, gw.post("/mj/submit/action", BOB, "{\"taskId\":\"1\"}").statusCode());

        HttpResponse<String> unknown = gw.get("/mj/task/123456/fetch", BOB);
        assertEquals(404, unknown.statusCode());
        assertEquals(3, json(unknown).path("code").asInt());

        String alices = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"mine\"}")).path("result").asString();
        assertEquals(404, gw.get("/mj/task/" + alices + "/fetch", BOB).statusCode(), "another user's task is not found");
        assertEquals(404, gw.post("/mj/submit/action", BOB, "{\"taskId\":\"" + alices
                + "\",\"customId\":\"MJ::JOB::upsample::1::x\"}").statusCode());
        HttpResponse<String> unfinished = gw.post("/mj/submit/action", ALICE, "{\"taskId\":\"" + alices
                + "\",\"customId\":\"MJ::JOB::upsample::1::x\"}");
        assertEquals(400, unfinished.statusCode());
        assertTrue(unfinished.body().contains("expected: a task in SUCCESS status"), unfinished.body());

        JsonNode banned = json(gw.post("/mj/submit/imagine", BOB, "{\"prompt\":\"banned words\"}"));
        assertEquals(24, banned.path("code").asInt(), banned.toString());
        assertTrue(banned.path("result").isNull());

        gw.awaitLedger();
        assertEquals(Usd.parse("10"), store.balance("bob"));
        assertEquals(List.of(), store.ledger("bob", "charge"));
        assertEquals(List.of(-Usd.parse("0.05")), store.ledger("alice", "charge"));
    }
}

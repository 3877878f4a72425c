package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskPoller;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kling priced per unit of its resource packs, over real sockets: held on Kling's published deduction, settled on
 * the {@code final_unit_deduction} Kling reports, the difference charged or refunded once; money checked in the
 * store. Without a unit price the family bills per second as before and only keeps the report.
 */
class KlingUnitBillingTest {

    private static final long OPENING = Usd.parse("10");
    /** A thousandth of a unit at USD 0.14 a unit. */
    private static final long MILLI = Usd.parse("0.14") / 1000;
    private static final long V1_STD_SECOND = Usd.parse("0.028");

    private FakeKling upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeKling();
    }

    private void startGateway(String key, String prices) {
        gw = GatewayHarness.start("""
                channels: [{ name: kling, type: kling, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                %s
                """.formatted(upstream.baseUrl(), key, TestUsers.key("alice"), prices));
        store = new StoreView(gw);
    }

    private void startWithUnitPrice() {
        startGateway(FakeKling.KEY, """
                prices:
                  "kling/unit": { per_call: 0.14 }
                  "kling/kling-v2-1-master/unit": { per_call: 0.12 }""");
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        upstream.close();
    }

    private String submit(String path, String body) {
        HttpResponse<String> answer = gw.post("/kling/v1/" + path, TestUsers.key("alice"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        gw.awaitLedger();
        return Json.MAPPER.readTree(answer.body()).path("data").path("task_id").asString();
    }

    /** Polls until the task is finished (two steps in the fake), then once more: nothing may move again. */
    private void runToTheEnd() {
        TaskPoller poller = gw.gateway().tasks().poller();
        poller.pollOnce();
        poller.pollOnce();
        poller.pollOnce();
        gw.awaitLedger();
    }

    private Task task(String id) {
        return gw.gateway().tasks().store().find(id).orElseThrow();
    }

    /** The admin API's {@code facts} of task {@code id}. */
    private JsonNode adminFacts(String id) {
        HttpResponse<String> answer = gw.get("/api/admin/tasks/" + id, GatewayHarness.ADMIN_KEY);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body()).path("facts");
    }

    private void assertBalanced() {
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void heldOnKlingsTableAndSettledOnTheMoreUnitsKlingReports() {
        startWithUnitPrice();
        upstream.unitDeduction = "4.25";
        String id = submit("videos/text2video", "{\"prompt\":\"a heron\",\"mode\":\"pro\"}");
        assertThat(store.ledger("alice", "charge")).as("kling-v1 pro 5 s: 3.5 units held at 0.14")
                .containsExactly(-3500 * MILLI);
        Task opened = task(id);
        assertThat(opened.charge().unitNanos()).isEqualTo(MILLI);
        assertThat(opened.charge().units()).isEqualTo(3500);
        JsonNode facts = Json.MAPPER.readTree(opened.request());
        assertThat(facts.path("unit_price_key").asString()).isEqualTo("kling/unit");
        assertThat(facts.path("units_held").asString()).isEqualTo("3.5");
        assertThat(facts.path("units_held_on").asString()).isEqualTo("kling_table");

        runToTheEnd();
        assertThat(store.ledger("alice", "charge")).as("the 0.75 unit more charged once")
                .containsExactly(-3500 * MILLI, -750 * MILLI);
        assertThat(store.ledger("alice", "refund")).isEmpty();
        Task done = task(id);
        assertThat(done.charge().units()).isEqualTo(4250);
        assertThat(done.costNanos()).isEqualTo(4250 * MILLI);
        assertThat(done.charge().settleState()).isEqualTo("settled");
        assertThat(store.balance("alice")).isEqualTo(OPENING - 4250 * MILLI);
        assertBalanced();

        JsonNode admin = adminFacts(id);
        assertThat(admin.path("billing").asString()).isEqualTo("kling_units");
        assertThat(admin.path("unit_price_key").asString()).isEqualTo("kling/unit");
        assertThat(admin.path("units_held").asString()).isEqualTo("3.5");
        assertThat(admin.path("units_reported").asString()).isEqualTo("4.25");

        HttpResponse<String> shown = gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice"));
        assertThat(Json.MAPPER.readTree(shown.body()).path("data").path("task_status").asString()).isEqualTo("succeed");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).as("a later read moves no money").hasSize(2);
    }

    @Test
    void aModelsOwnUnitPriceWinsAndFewerUnitsReportedAreRefundedOnce() {
        startWithUnitPrice();
        long milli = Usd.parse("0.12") / 1000;
        upstream.unitDeduction = "12.5";
        String id = submit("videos/image2video", "{\"model_name\":\"kling-v2-1-master\",\"duration\":\"10\","
                + "\"image\":\"https://img.test/a.png\"}");
        assertThat(store.ledger("alice", "charge")).as("kling-v2-1-master 10 s: 20 units at 0.12")
                .containsExactly(-20_000 * milli);
        runToTheEnd();
        assertThat(store.ledger("alice", "refund")).as("7.5 units back, once").containsExactly(7500 * milli);
        assertThat(store.ledger("alice", "charge")).hasSize(1);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 12_500 * milli);
        assertThat(Json.MAPPER.readTree(task(id).request()).path("unit_price_key").asString())
                .isEqualTo("kling/kling-v2-1-master/unit");
        assertBalanced();
    }

    @Test
    void aFailureIsRefundedOnceInFull() {
        startWithUnitPrice();
        upstream.failNext = true;
        String id = submit("videos/text2video", "{\"prompt\":\"a storm\",\"model_name\":\"kling-v2-5-turbo\","
                + "\"duration\":\"10\"}");
        assertThat(store.ledger("alice", "charge")).containsExactly(-3000 * MILLI);
        runToTheEnd();
        gw.gateway().tasks().poller().sweepOnce();
        gw.get("/kling/v1/videos/text2video/" + id, TestUsers.key("alice"));
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(3000 * MILLI);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertThat(task(id).refunded()).isTrue();
        assertBalanced();
    }

    @Test
    void aMissingOrUnreadableReportLeavesTheChargeOnTheHold() {
        startWithUnitPrice();
        upstream.unitDeduction = null;
        String absent = submit("videos/text2video", "{\"prompt\":\"a fox\"}");
        runToTheEnd();
        upstream.unitDeduction = "about two";
        String unreadable = submit("videos/text2video", "{\"prompt\":\"a fox\",\"duration\":\"10\"}");
        runToTheEnd();
        upstream.unitDeduction = "-3";
        String negative = submit("videos/text2video", "{\"prompt\":\"a fox\"}");
        runToTheEnd();
        assertThat(store.ledger("alice", "charge")).containsExactly(-1000 * MILLI, -2000 * MILLI, -1000 * MILLI);
        assertThat(store.ledger("alice", "refund")).isEmpty();
        for (String id : new String[] {absent, unreadable, negative}) {
            assertThat(task(id).status().name()).isEqualTo("SUCCESS");
            assertThat(task(id).charge().settleState()).as("the charge stands").isEqualTo("open");
        }
        assertThat(store.balance("alice")).isEqualTo(OPENING - 4000 * MILLI);
        assertBalanced();
    }

    @Test
    void withoutAUnitPriceBillingIsPerSecondAndKlingsReportIsKept() {
        startGateway(FakeKling.KEY, "");
        upstream.unitDeduction = "3.5";
        String id = submit("videos/text2video", "{\"prompt\":\"a heron\"}");
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * V1_STD_SECOND);
        runToTheEnd();
        assertThat(store.ledger("alice", "charge")).hasSize(1);
        assertThat(store.ledger("alice", "refund")).as("5.1 s made rounds to the 5 s held").isEmpty();
        Task done = task(id);
        assertThat(done.charge().units()).isEqualTo(5);
        assertThat(Json.MAPPER.readTree(done.request()).has("unit_price_key")).isFalse();
        assertThat(Json.MAPPER.readTree(done.payload()).path("final_unit_deduction").asString())
                .as("Kling's report kept for reconciliation").isEqualTo("3.5");
        JsonNode admin = adminFacts(id);
        assertThat(admin.path("billing").asString()).isEqualTo("seconds");
        assertThat(admin.path("units_reported").asString()).isEqualTo("3.5");
        assertThat(admin.has("unit_price_key")).isFalse();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 5 * V1_STD_SECOND);
        assertBalanced();
    }

    @Test
    void aRequestKlingListsNoDeductionForIsHeldOnItsOwnPriceAndStillSettledOnUnits() {
        startWithUnitPrice();
        upstream.unitDeduction = "1.5";
        String id = submit("videos/video-extend", "{\"video_id\":\"vid-kt-0\"}");
        assertThat(store.ledger("alice", "charge")).as("kling/kling-video-extend 0.14 per call = 1 unit")
                .containsExactly(-1000 * MILLI);
        assertThat(Json.MAPPER.readTree(task(id).request()).path("units_held_on").asString()).isEqualTo("own_price");
        runToTheEnd();
        assertThat(store.ledger("alice", "charge")).containsExactly(-1000 * MILLI, -500 * MILLI);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 1500 * MILLI);
        assertBalanced();
    }

    @Test
    void imagesAreOnTheirOwnPackAndStayPerImageWithoutAnImageUnitPrice() {
        startWithUnitPrice();
        upstream.unitDeduction = "0.75";
        String id = submit("images/generations", "{\"prompt\":\"a cat\",\"n\":2}");
        assertThat(store.ledger("alice", "charge")).as("kling/unit is the video pack's")
                .containsExactly(-2 * Usd.parse("0.035"));
        runToTheEnd();
        assertThat(task(id).charge().units()).isEqualTo(2);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 2 * Usd.parse("0.035"));
        assertBalanced();
    }

    @Test
    void anImageUnitPriceSettlesImagesOnTheUnitsReported() {
        startGateway(FakeKling.KEY, """
                prices:
                  "kling/images/unit": { per_call: 0.01 }""");
        long milli = Usd.parse("0.01") / 1000;
        upstream.unitDeduction = "2";
        submit("images/generations", "{\"prompt\":\"a cat\",\"n\":3}");
        // Kling publishes no image deduction here: 3 images at 0.035 = 0.105, i.e. 10.5 units of 0.01.
        assertThat(store.ledger("alice", "charge")).containsExactly(-10_500 * milli);
        runToTheEnd();
        assertThat(store.ledger("alice", "refund")).containsExactly(8500 * milli);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 2000 * milli);
        assertBalanced();
    }

    @Test
    void anotherRelaysNumericReportSettlesTheSameWay() {
        startGateway(FakeKling.RELAY_KEY, """
                prices:
                  "kling/unit": { per_call: 0.14 }""");
        upstream.unitDeduction = 2.5;
        submit("videos/text2video", "{\"prompt\":\"a kite\",\"model_name\":\"kling-v1-6\"}");
        assertThat(upstream.requests).contains("POST /kling/v1/videos/text2video");
        assertThat(store.ledger("alice", "charge")).as("kling-v1-6 std 5 s: 2 units").containsExactly(-2000 * MILLI);
        runToTheEnd();
        assertThat(store.ledger("alice", "charge")).containsExactly(-2000 * MILLI, -500 * MILLI);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 2500 * MILLI);
        assertBalanced();
    }

    @Test
    void theGenericRouteShowsTheSecondsOfATaskPricedPerUnit() {
        startWithUnitPrice();
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"kling-v1\",\"prompt\":\"a heron\",\"duration\":10}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-2000 * MILLI);
        runToTheEnd();
        JsonNode data = Json.MAPPER.readTree(gw.get("/v1/video/generations/" + id, TestUsers.key("alice")).body())
                .path("data");
        assertThat(data.path("status").asString()).isEqualTo("succeeded");
        assertThat(data.path("metadata").path("duration").asLong()).isEqualTo(10);
        assertThat(store.balance("alice")).as("settled on the 1 unit reported").isEqualTo(OPENING - 1000 * MILLI);
        assertBalanced();
    }

    @Test
    void aUnitPriceWithoutPerCallIsRefusedUnchargedAndUnsent() {
        startGateway(FakeKling.KEY, """
                prices:
                  "kling/unit": { per_second: 0.14 }""");
        HttpResponse<String> answer = gw.post("/kling/v1/videos/text2video", TestUsers.key("alice"),
                "{\"prompt\":\"a heron\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(answer.body()).path("message").asString())
                .contains("price: kling/unit has no per_call");
        gw.awaitLedger();
        assertThat(upstream.submitted).isEmpty();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }
}

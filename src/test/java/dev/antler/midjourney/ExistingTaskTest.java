package dev.antler.midjourney;

import static dev.antler.midjourney.MidjourneyFlowTest.ALICE;
import static dev.antler.midjourney.MidjourneyFlowTest.fetchUntil;
import static dev.antler.midjourney.MidjourneyFlowTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.antler.billing.Usd;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Code 21: "already exists" (midjourney-proxy) and "waiting for window confirm" (midjourney-proxy-plus). */
class ExistingTaskTest {

    private FakeMidjourney upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeMidjourney();
        gw = GatewayHarness.start(MidjourneyFlowTest.yaml(upstream, "{ poll_interval_ms: 600000 }"));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private String imagined() {
        String id = json(gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"a fox\"}")).path("result").asString();
        fetchUntil(gw, ALICE, id, "SUCCESS");
        return id;
    }

    private JsonNode action(String taskId, String customId) {
        return json(gw.post("/mj/submit/action", ALICE, "{\"taskId\":\"" + taskId + "\",\"customId\":\""
                + customId + "\"}"));
    }

    @Test
    void aRepeatedUpscaleReturnsTheTaskAlreadyMadeAndChargesNothing() {
        String parent = imagined();
        String u1 = "MJ::JOB::upsample::1::hash" + gw.gateway().tasks().store().find(parent).orElseThrow().upstreamId();
        JsonNode first = action(parent, u1);
        assertEquals(1, first.path("code").asInt(), first.toString());
        JsonNode again = action(parent, u1);
        assertEquals(21, again.path("code").asInt(), again.toString());
        assertEquals(first.path("result").asString(), again.path("result").asString(),
                "the caller gets the upscale it already has");
        assertFalse(again.path("properties").has("imageUrl"), "images are reached through the gateway only");

        gw.awaitLedger();
        assertEquals(List.of(-Usd.parse("0.05"), -Usd.parse("0.02")), store.ledger("alice", "charge"),
                "the imagine and one upscale, not two");
        assertEquals(Usd.parse("10") - Usd.parse("0.07"), store.balance("alice"));
        assertEquals(store.ledgerSum("alice"), store.balance("alice"));
        assertEquals(2, gw.gateway().tasks().store().list(null, null, null, 10, 0).size(), "no third task");
        assertEquals(List.of("mj.imagine", "mj.upscale", "mj.upscale"),
                MidjourneyFlowTest.submits(store.usage("alice")), "the repeat is logged, at zero cost");
        assertEquals(0, store.usage("alice").getLast().costNanos());
    }

    @Test
    void aNewTaskWaitingForTheModalIsChargedOnceAndShownAsModal() {
        String parent = imagined();
        String zoom = "MJ::CustomZoom::hash" + gw.gateway().tasks().store().find(parent).orElseThrow().upstreamId();
        JsonNode answer = action(parent, zoom);
        assertEquals(21, answer.path("code").asInt(), answer.toString());
        String id = answer.path("result").asString();
        assertNotEquals(parent, id);
        assertEquals(TaskStatus.MODAL, gw.gateway().tasks().store().find(id).orElseThrow().status());

        gw.awaitLedger();
        assertEquals(List.of(-Usd.parse("0.05"), -Usd.parse("0.05")), store.ledger("alice", "charge"),
                "the imagine and the zoom");
    }
}

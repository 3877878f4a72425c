package dev.antler.midjourney;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.antler.billing.Usd;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A gateway stopped in the middle of a task: the next start picks it up from the store and finishes it. */
class TaskRestartTest {

    @Test
    void aTaskSubmittedBeforeARestartCompletesAfterIt() throws Exception {
        Path dir = Files.createTempDirectory("antler-restart-");
        String database = "database: { url: \"jdbc:sqlite:" + dir.resolve("antler.db") + "\" }\n";
        try (FakeMidjourney upstream = new FakeMidjourney()) {
            String id;
            try (GatewayHarness first = GatewayHarness.start(database
                    + MidjourneyFlowTest.yaml(upstream, "{ poll_interval_ms: 600000 }"))) {
                id = MidjourneyFlowTest.json(first.post("/mj/submit/imagine", MidjourneyFlowTest.ALICE,
                        "{\"prompt\":\"a lighthouse\"}")).path("result").asString();
                // Unfinished when the gateway stops (the fake moves a task one step per look; it needs three).
                assertTrue(!first.gateway().tasks().store().find(id).orElseThrow().status().terminal(),
                        "the task is unfinished at the stop");
            }
            try (GatewayHarness second = GatewayHarness.start(database
                    + MidjourneyFlowTest.yaml(upstream, "{ poll_interval_ms: 20 }"))) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (second.gateway().tasks().store().find(id).orElseThrow().status() != TaskStatus.SUCCESS) {
                    assertTrue(System.currentTimeMillis() < deadline, "the restarted gateway's poller finishes the task");
                    Thread.sleep(20);
                }
                assertTrue(upstream.listCalls.get() > 0, "finished by the poller, not by a client fetch");
                second.awaitLedger();
                StoreView store = new StoreView(second);
                assertEquals(Usd.parse("10") - Usd.parse("0.05"), store.balance("alice"));
                assertEquals(store.ledgerSum("alice"), store.balance("alice"));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

package dev.antler.midjourney;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.antler.billing.Usd;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskPoller;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.StoreView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Poll, timeout sweep and client fetch racing on the same failing task refund it exactly once. */
class TaskRaceTest {

    @Test
    void pollSweepAndFetchRacingOnAFailingTaskRefundOnce() throws Exception {
        ManualClock clock = ManualClock.now();
        try (FakeMidjourney upstream = new FakeMidjourney();
             GatewayHarness gw = GatewayHarness.start(MidjourneyFlowTest.yaml(upstream,
                     "{ poll_interval_ms: 600000, timeout_seconds: 60 }"), clock)) {
            StoreView store = new StoreView(gw);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(MidjourneyFlowTest.json(gw.post("/mj/submit/imagine", MidjourneyFlowTest.ALICE,
                        "{\"prompt\":\"fail " + i + "\"}")).path("result").asString());
            }
            // Three observations take the fake to IN_PROGRESS; the next one reports FAILURE. The timeout
            // (60 s) passes too, so the sweep also wants to fail the tasks.
            for (String id : ids) {
                MidjourneyFlowTest.fetchUntil(gw, MidjourneyFlowTest.ALICE, id, "IN_PROGRESS");
            }
            clock.advanceSeconds(61);
            TaskPoller poller = gw.gateway().tasks().poller();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(24);
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 24; t++) {
                int kind = t % 3;
                runs.add(threads.submit(() -> {
                    go.await();
                    switch (kind) {
                        case 0 -> poller.pollOnce();
                        case 1 -> poller.sweepOnce();
                        default -> ids.forEach(id -> gw.get("/mj/task/" + id + "/fetch", MidjourneyFlowTest.ALICE));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
            threads.shutdown();
            gw.awaitLedger();
            for (String id : ids) {
                Task task = gw.gateway().tasks().store().find(id).orElseThrow();
                assertEquals(TaskStatus.FAILURE, task.status());
                assertEquals("refunded", task.charge().refundState());
            }
            assertEquals(List.of(Usd.parse("0.05"), Usd.parse("0.05"), Usd.parse("0.05")), store.ledger("alice", "refund"));
            assertEquals(Usd.parse("10"), store.balance("alice"));
            assertEquals(0, store.used("alice"));
            assertEquals(store.ledgerSum("alice"), store.balance("alice"));
        }
    }
}

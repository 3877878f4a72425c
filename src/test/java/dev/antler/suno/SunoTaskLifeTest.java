package dev.antler.suno;

import static dev.antler.suno.SunoGateway.ALICE;
import static dev.antler.suno.SunoGateway.fetchUntil;
import static dev.antler.suno.SunoGateway.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskPoller;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.StoreView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Suno tasks under racing pollers, sweeps and client fetches, and across a restart of the gateway. */
class SunoTaskLifeTest {

    @Test
    void pollSweepAndFetchRacingOnFailingSongsRefundEachExactlyOnce() throws Exception {
        ManualClock clock = ManualClock.now();
        try (FakeSuno upstream = FakeSuno.start();
             GatewayHarness gw = GatewayHarness.start(SunoGateway.yaml(upstream,
                     "{ poll_interval_ms: 600000, timeout_seconds: 60 }"), clock)) {
            StoreView store = new StoreView(gw);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                upstream.failNext("moderation " + i);
                ids.add(submit(gw, ALICE, "/suno/submit/music", "{'gpt_description_prompt':'fail " + i + "'}"));
            }
            // Two looks take the fake to QUEUED; the next reports FAILURE. The timeout (60 s) passes too, so the
            // sweep also wants to fail the songs.
            for (String id : ids) {
                fetchUntil(gw, ALICE, "/suno/fetch/", id, "QUEUED");
            }
            gw.awaitLedger(); // a refund waits for its charge to be written
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
                        default -> ids.forEach(id -> gw.get("/suno/fetch/" + id, ALICE));
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
                assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
                assertThat(task.charge().refundState()).isEqualTo("refunded");
            }
            assertThat(store.ledger("alice", "refund")).containsExactly(Usd.parse("0.30"), Usd.parse("0.30"),
                    Usd.parse("0.30"));
            assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
            assertThat(store.used("alice")).isZero();
            assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
        }
    }

    @Test
    void aSongSubmittedBeforeARestartIsPolledToSuccessAfterIt() throws Exception {
        Path dir = Files.createTempDirectory("antler-suno-restart-");
        String database = "database: { url: \"jdbc:sqlite:" + dir.resolve("antler.db") + "\" }\n";
        try (FakeSuno upstream = FakeSuno.start()) {
            String id;
            try (GatewayHarness first = GatewayHarness.start(database
                    + SunoGateway.yaml(upstream, "{ poll_interval_ms: 600000 }"))) {
                id = submit(first, ALICE, "/suno/submit/music", "{'gpt_description_prompt':'a lighthouse'}");
                assertThat(first.gateway().tasks().store().find(id).orElseThrow().status().terminal())
                        .as("unfinished at the stop").isFalse();
            }
            try (GatewayHarness second = GatewayHarness.start(database
                    + SunoGateway.yaml(upstream, "{ poll_interval_ms: 20 }"))) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (second.gateway().tasks().store().find(id).orElseThrow().status() != TaskStatus.SUCCESS) {
                    assertThat(System.currentTimeMillis()).as("the restarted poller finishes the song").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(upstream.count("POST", "/suno/fetch")).as("by the poller").isGreaterThanOrEqualTo(3);
                assertThat(upstream.count("GET", "/suno/fetch/" + second.gateway().tasks().store().find(id)
                        .orElseThrow().upstreamId())).as("no client fetched it").isZero();
                second.awaitLedger();
                StoreView store = new StoreView(second);
                assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - Usd.parse("0.30"));
                assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.30"));
                assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

package dev.antler.midjourney;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.testing.GatewayHarness;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A webhook still being retried when the gateway stops is delivered, with the task's latest state, after it. */
class WebhookRestartTest {

    @Test
    void aDeliveryInterruptedByAStopIsSentAgainAtTheNextStart() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        AtomicInteger okPosts = new AtomicInteger();
        List<String> flakyStatuses = new CopyOnWriteArrayList<>();
        List<String> okStatuses = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/flaky", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            flakyStatuses.add(Json.MAPPER.readTree(body).path("status").asString());
            boolean fail = failing.get();
            if (!fail) {
                received.add(Json.MAPPER.readTree(body));
            }
            ex.sendResponseHeaders(fail ? 500 : 200, -1);
            ex.close();
        });
        hook.createContext("/ok", ex -> {
            okStatuses.add(Json.MAPPER.readTree(ex.getRequestBody().readAllBytes()).path("status").asString());
            okPosts.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        String hookBase = "http://127.0.0.1:" + hook.getAddress().getPort();
        Path dir = Files.createTempDirectory("antler-webhook-restart-");
        String database = "database: { url: \"jdbc:sqlite:" + dir.resolve("antler.db") + "\" }\n";
        try (FakeMidjourney upstream = new FakeMidjourney()) {
            String flaky;
            String ok;
            int okBeforeStop;
            try (GatewayHarness first = GatewayHarness.start(database + MidjourneyFlowTest.yaml(upstream,
                    "{ poll_interval_ms: 600000, webhook_attempts: 5, webhook_backoff_ms: 600000 }"))) {
                flaky = submit(first, hookBase + "/flaky", "a heron");
                ok = submit(first, hookBase + "/ok", "an owl");
                MidjourneyFlowTest.fetchUntil(first, MidjourneyFlowTest.ALICE, flaky, "SUCCESS");
                MidjourneyFlowTest.fetchUntil(first, MidjourneyFlowTest.ALICE, ok, "SUCCESS");
                // How many changes a hook sees depends on how often the task was looked at; the last is SUCCESS.
                await(() -> flakyStatuses.contains("SUCCESS") && okStatuses.contains("SUCCESS"),
                        "first attempts of each change made");
                await(() -> first.gateway().tasks().store().webhooksDue(10).stream().map(Task::publicId).toList()
                        .equals(List.of(flaky)), "only the failing hook's delivery is still owed");
                okBeforeStop = okPosts.get();
            }   // graceful stop: the flaky hook's retries (due in 10 minutes) are dropped from memory

            failing.set(false);
            try (GatewayHarness second = GatewayHarness.start(database + MidjourneyFlowTest.yaml(upstream,
                    "{ poll_interval_ms: 600000 }"))) {
                await(() -> !received.isEmpty(), "the owed delivery arrives after the restart");
                JsonNode task = received.get(0);
                assertEquals(flaky, task.path("id").asString());
                assertEquals("SUCCESS", task.path("status").asString(), "the latest state, not each missed one");
                await(() -> second.gateway().tasks().store().webhooksDue(10).isEmpty(), "nothing owed any more");
                Thread.sleep(300);
                assertEquals(1, received.size());
                assertEquals(okBeforeStop, okPosts.get(), "a delivered state is not sent again");
            }
        } finally {
            hook.stop(0);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String submit(GatewayHarness gw, String hook, String prompt) {
        return MidjourneyFlowTest.json(gw.post("/mj/submit/imagine", MidjourneyFlowTest.ALICE,
                "{\"prompt\":\"" + prompt + "\",\"notifyHook\":\"" + hook + "\"}")).path("result").asString();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, what);
            Thread.sleep(10);
        }
    }
}

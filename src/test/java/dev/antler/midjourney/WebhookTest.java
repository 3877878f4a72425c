package dev.antler.midjourney;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.tasks.WebhookSender;
import dev.antler.testing.GatewayHarness;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** notifyHook: the task object after each change, retried with back-off; a dead hook blocks nothing. */
class WebhookTest {

    @Test
    void webhooksAreDeliveredAfterRetriesAndADeadHookBlocksNothing() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        AtomicInteger posts = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean fail = posts.incrementAndGet() <= 2;   // the first two deliveries fail
            if (!fail) {
                received.add(Json.MAPPER.readTree(body));
            }
            ex.sendResponseHeaders(fail ? 500 : 200, -1);
            ex.close();
        });
        hook.start();
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (FakeMidjourney upstream = new FakeMidjourney();
             GatewayHarness gw = GatewayHarness.start(MidjourneyFlowTest.yaml(upstream,
                     "{ poll_interval_ms: 600000, webhook_attempts: 4, webhook_backoff_ms: 10 }"))) {
            String hookUrl = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            String id = MidjourneyFlowTest.json(gw.post("/mj/submit/imagine", MidjourneyFlowTest.ALICE,
                    "{\"prompt\":\"a heron\",\"notifyHook\":\"" + hookUrl + "\",\"state\":\"s-1\"}"))
                    .path("result").asString();
            assertFalse(upstream.submits.get(0).has("notifyHook"), "the client's hook is the gateway's to call");
            String dead = MidjourneyFlowTest.json(gw.post("/mj/submit/imagine", MidjourneyFlowTest.ALICE,
                    "{\"prompt\":\"an owl\",\"notifyHook\":\"http://127.0.0.1:" + deadPort + "/gone\"}"))
                    .path("result").asString();
            long started = System.currentTimeMillis();
            MidjourneyFlowTest.fetchUntil(gw, MidjourneyFlowTest.ALICE, dead, "SUCCESS");
            MidjourneyFlowTest.fetchUntil(gw, MidjourneyFlowTest.ALICE, id, "SUCCESS");
            assertTrue(System.currentTimeMillis() - started < 5_000, "a dead webhook does not slow fetches");

            long deadline = System.currentTimeMillis() + 10_000;
            while (received.stream().noneMatch(t -> t.path("status").asString().equals("SUCCESS"))) {
                assertTrue(System.currentTimeMillis() < deadline, "the SUCCESS webhook arrives: " + received);
                Thread.sleep(10);
            }
            JsonNode success = received.stream().filter(t -> t.path("status").asString().equals("SUCCESS"))
                    .findFirst().orElseThrow();
            assertEquals(id, success.path("id").asString());
            assertEquals("s-1", success.path("state").asString());
            assertTrue(success.path("imageUrl").asString().endsWith("/mj/image/" + id));
            assertTrue(posts.get() >= received.size() + 2, "the failed deliveries were retried");

            WebhookSender webhooks = gw.gateway().tasks().webhooks();
            deadline = System.currentTimeMillis() + 10_000;
            while (webhooks.abandoned() < 1) {
                assertTrue(System.currentTimeMillis() < deadline, "a dead hook is given up after its attempts");
                Thread.sleep(10);
            }
        } finally {
            hook.stop(0);
        }
    }
}

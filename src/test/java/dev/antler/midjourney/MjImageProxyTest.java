package dev.antler.midjourney;

import static dev.antler.midjourney.MidjourneyFlowTest.ALICE;
import static dev.antler.midjourney.MidjourneyFlowTest.fetchUntil;
import static dev.antler.midjourney.MidjourneyFlowTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keyless image proxy: what it fetches, how much, how long, and that it streams. */
class MjImageProxyTest {

    private static final long BIG = 48L * 1024 * 1024;

    private FakeMidjourney upstream;
    private GatewayHarness gw;

    private void start(String tasks) throws IOException {
        upstream = new FakeMidjourney();
        gw = GatewayHarness.start(MidjourneyFlowTest.yaml(upstream, tasks));
    }

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.imageResume.complete(null);
        }
        if (gw != null) {
            gw.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** Submits an imagine and polls it to SUCCESS; returns the gateway's task id. */
    private String finishedTask(String body) {
        String id = json(gw.post("/mj/submit/imagine", ALICE, body)).path("result").asString();
        fetchUntil(gw, ALICE, id, "SUCCESS");
        return id;
    }

    private HttpResponse<InputStream> image(String id, String query) throws Exception {
        return gw.http().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/mj/image/" + id + query))
                .header("Authorization", "Bearer " + ALICE).header("Cookie", "session=client-cookie").build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void onlyTheUrlStoredForTheTaskIsFetchedAndNoSecretGoesWithIt() throws Exception {
        start("{ poll_interval_ms: 600000 }");
        AtomicInteger elsewhere = new AtomicInteger();
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", ex -> {
            elsewhere.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        other.start();
        try {
            String otherUrl = "http://127.0.0.1:" + other.getAddress().getPort() + "/steal.png";
            String id = finishedTask("{\"prompt\":\"a fox\",\"imageUrl\":\"" + otherUrl + "\"}");
            HttpResponse<InputStream> response = image(id, "?url=" + otherUrl + "&imageUrl=" + otherUrl);
            assertEquals(200, response.statusCode());
            byte[] body = response.body().readAllBytes();
            assertEquals(FakeMidjourney.PNG.length, body.length);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));

            assertEquals(0, elsewhere.get(), "no client-supplied URL is ever fetched");
            assertEquals(1, upstream.imageRequests.size());
            var sent = upstream.imageRequests.get(0);
            assertNull(sent.getFirst("mj-api-secret"), "the channel secret never goes to the image host");
            assertNull(sent.getFirst("Authorization"), "the client's key is not passed on");
            assertNull(sent.getFirst("Cookie"));
            String upstreamId = gw.gateway().tasks().store().find(id).orElseThrow().upstreamId();
            assertTrue(upstream.requests.contains("GET /img/" + upstreamId + ".png"), upstream.requests.toString());
        } finally {
            other.stop(0);
        }
        assertEquals(404, image("1" + "0".repeat(31), "").statusCode(), "an unknown id finds nothing");
    }

    @Test
    void taskIdsAreUnguessableDigitStrings() {
        long now = 1_763_000_000_000L;
        Set<String> ids = new HashSet<>();
        long largestRandomPart = 0;
        for (int i = 0; i < 1000; i++) {
            String id = MjIds.next(now);
            assertTrue(id.matches("\\d{32}"), id);
            assertTrue(id.startsWith(Long.toString(now)), id);
            ids.add(id);
            largestRandomPart = Math.max(largestRandomPart, Long.parseLong(id.substring(13)));
        }
        assertEquals(1000, ids.size(), "ids made in the same millisecond still differ");
        // 63 random bits: of 1000 draws, some lie far above what a counter or a short random suffix would reach.
        assertTrue(largestRandomPart > 100_000_000_000_000_000L, "random part " + largestRandomPart);
    }

    @Test
    void anImageLargerThanTheLimitIsRefusedOrCutOff() throws Exception {
        start("{ poll_interval_ms: 600000, image_max_bytes: 1048576 }");
        String id = finishedTask("{\"prompt\":\"a big fox\"}");
        upstream.imageBytes = 2 * 1024 * 1024;

        HttpResponse<InputStream> declared = image(id, "");
        assertEquals(502, declared.statusCode());
        String answer = new String(declared.body().readAllBytes());
        assertTrue(answer.contains("\"code\":9") && answer.contains("image_too_large")
                && answer.contains("expected: at most 1048576 bytes"), answer);

        upstream.imageLengthDeclared = false;
        long received = 0;
        boolean cut = false;
        try (InputStream in = image(id, "").body()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received += n;
            }
        } catch (IOException reset) {
            cut = true;
        }
        assertTrue(cut, "an over-long chunked image ends in an error, never as a complete answer");
        assertTrue(received <= 1048576, "relayed " + received + " bytes");
        StoreView store = new StoreView(gw);
        assertTrue(store.awaitUsage("alice", 7).stream().filter(r -> r.endpoint().equals("mj.image"))
                .anyMatch(r -> r.error() != null && r.error().contains("image_max_bytes")), "the cut is logged");
    }

    @Test
    void aStalledImageHostIsGivenUpAfterTheTimeout() throws Exception {
        start("{ poll_interval_ms: 600000, image_timeout_ms: 500 }");
        String id = finishedTask("{\"prompt\":\"a slow fox\"}");
        upstream.imageBytes = 1024 * 1024;
        upstream.imagePauseAfter = 0;   // headers and nothing else
        long start = System.nanoTime();
        HttpResponse<InputStream> nothing = image(id, "");
        String answer = new String(nothing.body().readAllBytes());
        assertEquals(504, nothing.statusCode(), answer);
        assertTrue(answer.contains("\"code\":9") && answer.contains("image_timeout_ms"), answer);
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "gave up after about 500 ms");

        upstream.imagePaused = new CompletableFuture<>();
        upstream.imagePauseAfter = 65536;   // the first chunk, then a stall
        boolean failed = false;
        long received = 0;
        try (InputStream in = image(id, "").body()) {
            received = in.readAllBytes().length;
        } catch (IOException reset) {
            failed = true;
        }
        assertTrue(failed, "a stalled image is not ended as if complete (got " + received + " bytes)");
    }

    @Test
    void aBigImageStreamsThroughWithFlatMemory() throws Exception {
        start("{ poll_interval_ms: 600000, image_max_bytes: 67108864 }");
        String id = finishedTask("{\"prompt\":\"a huge fox\"}");
        assertEquals(FakeMidjourney.PNG.length, image(id, "").body().readAllBytes().length); // warm-up
        upstream.imageBytes = BIG;
        upstream.imagePauseAfter = BIG / 2;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);

        HttpResponse<InputStream> response = image(id, "");
        assertEquals(200, response.statusCode(), "headers come before the body is complete");
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = response.body()) {
                long total = 0;
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                }
                return total;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        upstream.imagePaused.get(30, TimeUnit.SECONDS);
        Thread.sleep(200);
        long halfway = usedAfterGc(memory);
        upstream.imageResume.complete(null);
        assertEquals(BIG, read.get(60, TimeUnit.SECONDS));
        long growth = halfway - baseline;
        System.out.printf("mj image proxy 48 MB: heap growth halfway %.2f MB%n", growth / 1048576.0);
        assertTrue(growth < BIG / 4, "heap grew " + growth + " bytes relaying a " + BIG + " byte image");
        assertFalse(response.headers().firstValue("Content-Length").isEmpty());
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

package dev.antler.videos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.TestUsers;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With mirroring on, a completed video and its thumbnail are copied once from the upstream (with the channel's
 * key) into the mirror directory, in the background; {@code /content} then serves the copy (Range too), across a
 * restart, until the retention ends; a copy over the limit is abandoned and the upstream serves.
 */
class VideoMirrorTest {

    private Path directory;
    private Path mirror;
    private FakeVideos upstream;
    private ManualClock clock;
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-video-mirror-");
        mirror = directory.resolve("files");
        upstream = new FakeVideos();
        upstream.contentBytes = 5000;
        clock = ManualClock.now();
        gw = start(512L * 1024 * 1024);
    }

    private GatewayHarness start(long maxVideoBytes) {
        return GatewayHarness.start("""
                channels: [{ name: sora, type: openai, base_url: "%s", key: %s, models: [sora-2] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                database: { url: "jdbc:sqlite:%s" }
                mirror: { enabled: true, directory: "%s", retention_hours: 2, max_video_bytes: %d }
                """.formatted(upstream.baseUrl(), FakeVideos.KEY, TestUsers.key("alice"),
                directory.resolve("antler.db"), mirror, maxVideoBytes), clock);
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstream.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Creates a video, finishes it upstream and polls once: the copy starts in the background. */
    private String completedVideo() {
        HttpResponse<String> created = gw.post("/v1/videos", TestUsers.key("alice"),
                "{\"model\":\"sora-2\",\"prompt\":\"a fox\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        gw.awaitLedger();
        upstream.finish(upstream.lastId(), "4");
        gw.gateway().tasks().poller().pollOnce();
        return Json.MAPPER.readTree(created.body()).path("id").asString();
    }

    private HttpResponse<byte[]> content(String id, String query, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/videos/" + id
                + "/content" + query)).header("Authorization", "Bearer " + TestUsers.key("alice"));
        if (range != null) {
            request.header("Range", range);
        }
        return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Whether a copy is kept whose name ends with {@code suffix}: result 0 is the video, 1 its thumbnail. */
    private boolean copied(String suffix) {
        try (var files = Files.list(mirror)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("videos-\\d+-" + suffix));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void assertPattern(byte[] bytes, long from) {
        for (int i = 0; i < bytes.length; i++) {
            assertThat(bytes[i]).as("byte %d", from + i).isEqualTo((byte) ((from + i) % 251));
        }
    }

    @Test
    void aCompletedVideoIsCopiedOnceThenServedFromTheCopyAcrossARestart() throws Exception {
        String id = completedVideo();
        await(() -> copied("0\\.mp4") && copied("1\\.webp"), "the copies");
        assertThat(upstream.contentRequests).containsExactlyInAnyOrder("vid_up_1/video", "vid_up_1/thumbnail");

        HttpResponse<byte[]> whole = content(id, "", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).contains("video/mp4");
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(5000);
        assertThat(whole.body()).hasSize(5000);
        assertPattern(whole.body(), 0);
        HttpResponse<byte[]> range = content(id, "?variant=video", "bytes=1000-1009");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 1000-1009/5000");
        assertThat(range.headers().firstValueAsLong("Content-Length")).hasValue(10);
        assertPattern(range.body(), 1000);
        HttpResponse<byte[]> tail = content(id, "", "bytes=-3");
        assertThat(tail.headers().firstValue("Content-Range")).contains("bytes 4997-4999/5000");
        assertPattern(tail.body(), 4997);
        assertThat(content(id, "", "bytes=9000-").statusCode()).isEqualTo(416);
        HttpResponse<byte[]> thumbnail = content(id, "?variant=thumbnail", null);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("image/webp");
        assertThat(thumbnail.body()).isEqualTo(FakeVideos.THUMBNAIL);
        assertThat(upstream.contentRequests).as("served from the copies").hasSize(2);
        String shown = gw.get("/v1/videos/" + id, TestUsers.key("alice")).body();
        assertThat(shown).doesNotContain(upstream.baseUrl()).doesNotContain("127.0.0.1").doesNotContain("vid_up_")
                .doesNotContain(FakeVideos.KEY);

        gw.close();
        gw = start(512L * 1024 * 1024);
        HttpResponse<byte[]> again = content(id, "", "bytes=0-99");
        assertThat(again.statusCode()).isEqualTo(206);
        assertPattern(again.body(), 0);
        assertThat(upstream.contentRequests).as("the restart still serves the copies").hasSize(2);

        // spritesheet is not kept: it comes from the upstream
        assertThat(content(id, "?variant=spritesheet", null).statusCode()).isEqualTo(200);
        assertThat(upstream.contentRequests).hasSize(3).last().isEqualTo("vid_up_1/spritesheet");
    }

    @Test
    void afterTheRetentionAndTheUpstreamsExpiryContentIsGone() throws Exception {
        String id = completedVideo();
        await(() -> copied("0\\.mp4") && copied("1\\.webp"), "the copies");
        assertThat(content(id, "", null).statusCode()).isEqualTo(200);

        clock.advanceSeconds(3 * 3600); // past retention_hours: 2
        upstream.expire("vid_up_1");
        HttpResponse<byte[]> gone = content(id, "", null);
        assertThat(gone.statusCode()).isEqualTo(410);
        JsonNode error = Json.MAPPER.readTree(gone.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("video_expired");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).contains("video_id: " + id + " expired at")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void aCopyOverTheLimitIsAbandonedAndTheUpstreamServes() throws Exception {
        gw.close();
        gw = start(1000);
        String id = completedVideo();
        await(() -> copied("1\\.webp"), "the thumbnail copy");
        await(() -> upstream.contentRequests.size() == 2, "both copies tried");
        Thread.sleep(100);
        assertThat(copied("0\\..*")).isFalse();
        try (var files = Files.list(mirror)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".partial"));
        }

        HttpResponse<byte[]> whole = content(id, "", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertPattern(whole.body(), 0);
        assertThat(whole.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Upstream-Secret"));
        assertThat(upstream.contentRequests).as("streamed, not tried again").hasSize(3);
    }

    @Test
    void aLargeVideoIsCopiedStreamedNotHeldOnTheHeap() throws Exception {
        long size = 50L * 1024 * 1024;
        upstream.contentBytes = size;
        upstream.pauseAfterBytes = size / 2;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);
        String id = completedVideo();
        upstream.paused.get(20, TimeUnit.SECONDS);
        long halfway = usedAfterGc(memory);
        upstream.resume.complete(null);
        await(() -> copied("0\\.mp4") && copied("1\\.webp"), "the copies");
        long growth = halfway - baseline;
        System.out.printf("videos 50 MB copy: heap growth halfway %.2f MB%n", growth / 1048576.0);
        assertThat(growth).isLessThan(size / 4);

        HttpResponse<InputStream> whole = gw.http().send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                        + "/v1/videos/" + id + "/content")).header("Authorization", "Bearer " + TestUsers.key("alice"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(size);
        long total = 0;
        try (InputStream in = whole.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(upstream.contentRequests).hasSize(2);
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

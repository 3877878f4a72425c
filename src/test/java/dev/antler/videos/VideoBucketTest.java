package dev.antler.videos;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.S3Server;
import dev.antler.testing.TestUsers;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * With {@code mirror.s3}, a completed video's copies are kept in the bucket (nothing on the gateway's disk), served
 * through the gateway with Range by every gateway sharing the bucket (the second never asks the upstream), not
 * served after the retention and swept from the bucket; with wrong keys the copies fail with a logged reason and
 * the upstream serves. No answer shows the bucket's host, name or keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoBucketTest {

    private Path directory;
    private FakeVideos upstream;
    private S3Server s3;
    private ManualClock clock;
    private GatewayHarness first;
    private GatewayHarness second;

    @BeforeAll
    void startBucket() {
        s3 = S3Server.start();
    }

    @AfterAll
    void stopBucket() {
        s3.close();
    }

    @BeforeEach
    void start() throws Exception {
        directory = Files.createTempDirectory("antler-video-bucket-");
        upstream = new FakeVideos();
        upstream.contentBytes = 5000;
        s3.clear();
        clock = ManualClock.now();
        first = null;
        second = null;
    }

    /** A gateway on the shared database, with its own mirror directory, keeping files in the bucket. */
    private GatewayHarness gateway(String name, String secret) {
        Path mirror = directory.resolve(name);
        return GatewayHarness.start("""
                channels: [{ name: sora, type: openai, base_url: "%s", key: %s, models: [sora-2] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                database: { url: "jdbc:sqlite:%s" }
                mirror: { enabled: true, directory: "%s", retention_hours: 2, s3: %s }
                """.formatted(upstream.baseUrl(), FakeVideos.KEY, TestUsers.key("alice"),
                directory.resolve("antler.db"), mirror, s3.yamlFromEnv()), S3Server.env(secret), clock);
    }

    @AfterEach
    void stop() throws Exception {
        for (GatewayHarness gw : new GatewayHarness[] {first, second}) {
            if (gw != null) {
                gw.close();
            }
        }
        upstream.close();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Creates a video on {@code gw}, finishes it upstream and polls once: the copies start in the background. */
    private String completedVideo(GatewayHarness gw) {
        HttpResponse<String> created = gw.post("/v1/videos", TestUsers.key("alice"),
                "{\"model\":\"sora-2\",\"prompt\":\"a fox\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        gw.awaitLedger();
        upstream.finish(upstream.lastId(), "4");
        gw.gateway().tasks().poller().pollOnce();
        return Json.MAPPER.readTree(created.body()).path("id").asString();
    }

    private static HttpResponse<byte[]> content(GatewayHarness gw, String id, String query, String range)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/videos/" + id
                + "/content" + query)).header("Authorization", "Bearer " + TestUsers.key("alice"));
        if (range != null) {
            request.header("Range", range);
        }
        return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private boolean inBucket(String suffix) {
        return s3.keys().stream().anyMatch(key -> key.matches("antler/videos-\\d+-" + suffix));
    }

    private static void assertPattern(byte[] bytes, long from) {
        for (int i = 0; i < bytes.length; i++) {
            assertThat(bytes[i]).as("byte %d", from + i).isEqualTo((byte) ((from + i) % 251));
        }
    }

    /** Nothing of the bucket in an answer: not its host, port, name, keys, nor its own headers. */
    private void assertNoBucketIn(HttpResponse<byte[]> answer) {
        String text = answer.headers().map() + new String(answer.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(":" + s3.port()).doesNotContain(S3Server.BUCKET)
                .doesNotContain(S3Server.ACCESS_KEY).doesNotContain(S3Server.SECRET_KEY).doesNotContain("Jetty");
        assertThat(answer.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-amz"))
                .noneMatch(h -> h.equalsIgnoreCase("ETag"));
    }

    private static List<String> files(Path mirror) {
        try (var files = Files.list(mirror)) {
            return files.map(f -> f.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theCopiesAreInTheBucketAndEveryGatewaySharingItServesThemWithRange() throws Exception {
        first = gateway("first", S3Server.SECRET_KEY);
        String id = completedVideo(first);
        await(() -> inBucket("0\\.mp4") && inBucket("1\\.webp"), "the copies in the bucket");
        // the partial files are deleted as the uploads' answers arrive
        await(() -> files(directory.resolve("first")).isEmpty(), "nothing kept on the gateway's disk");
        assertThat(upstream.contentRequests).containsExactlyInAnyOrder("vid_up_1/video", "vid_up_1/thumbnail");
        String video = s3.keys().stream().filter(k -> k.endsWith(".mp4")).findFirst().orElseThrow();
        assertPattern(s3.bytes(video), 0);

        HttpResponse<byte[]> whole = content(first, id, "", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).contains("video/mp4");
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(5000);
        assertPattern(whole.body(), 0);
        assertNoBucketIn(whole);
        HttpResponse<byte[]> range = content(first, id, "", "bytes=1000-1009");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 1000-1009/5000");
        assertThat(range.headers().firstValueAsLong("Content-Length")).hasValue(10);
        assertPattern(range.body(), 1000);
        assertNoBucketIn(range);
        assertThat(content(first, id, "", "bytes=9000-").statusCode()).isEqualTo(416);

        second = gateway("second", S3Server.SECRET_KEY);
        HttpResponse<byte[]> tail = content(second, id, "", "bytes=-3");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("Content-Range")).contains("bytes 4997-4999/5000");
        assertPattern(tail.body(), 4997);
        assertNoBucketIn(tail);
        HttpResponse<byte[]> thumbnail = content(second, id, "?variant=thumbnail", null);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("image/webp");
        assertThat(thumbnail.body()).isEqualTo(FakeVideos.THUMBNAIL);
        assertThat(upstream.contentRequests).as("the second gateway serves the first one's copies").hasSize(2);
        assertThat(files(directory.resolve("second"))).isEmpty();
        String shown = second.get("/v1/videos/" + id, TestUsers.key("alice")).body();
        assertThat(shown).doesNotContain(S3Server.BUCKET).doesNotContain(":" + s3.port());
    }

    @Test
    void afterTheRetentionACopyIsNotServedAndTheSweepDeletesIt() throws Exception {
        first = gateway("first", S3Server.SECRET_KEY);
        String id = completedVideo(first);
        await(() -> inBucket("0\\.mp4") && inBucket("1\\.webp"), "the copies in the bucket");
        assertThat(content(first, id, "", null).statusCode()).isEqualTo(200);

        clock.advanceSeconds(3 * 3600); // past retention_hours: 2
        upstream.expire("vid_up_1");
        assertThat(content(first, id, "", null).statusCode()).as("the expired copy is not served").isEqualTo(410);

        second = gateway("second", S3Server.SECRET_KEY); // sweeps as it starts
        await(() -> s3.keys().isEmpty(), "the sweep");
    }

    @Test
    void withWrongKeysTheCopiesFailWithALoggedReasonAndTheUpstreamServes() throws Exception {
        Logger copies = (Logger) LoggerFactory.getLogger("dev.antler.tasks.ResultCopies");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        copies.addAppender(logged);
        try {
            String wrong = "wrong-secret-for-the-bucket-0001";
            first = gateway("first", wrong);
            String id = completedVideo(first);
            await(() -> logged.list.stream().filter(e -> e.getFormattedMessage().contains("not copied")).count() >= 2,
                    "both copies refused");
            assertThat(logged.list).map(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("result 0 not copied").contains("HTTP 403"))
                    .allSatisfy(m -> assertThat(m).doesNotContain(wrong));

            HttpResponse<byte[]> whole = content(first, id, "", null);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertPattern(whole.body(), 0);
            HttpResponse<byte[]> range = content(first, id, "", "bytes=10-19");
            assertThat(range.statusCode()).isEqualTo(206);
            assertPattern(range.body(), 10);
            assertNoBucketIn(whole);
            assertThat(upstream.contentRequests).as("served from the upstream").contains("vid_up_1/video");
            assertThat(s3.keys()).isEmpty();
            assertThat(files(directory.resolve("first"))).as("no partial file left").isEmpty();
        } finally {
            copies.detachAppender(logged);
        }
    }

    @Test
    void aLargeVideoGoesThroughTheBucketStreamedNotHeldOnTheHeap() throws Exception {
        long size = 50L * 1024 * 1024;
        Path objects = directory.resolve("objects");
        Files.createDirectories(objects);
        try (S3Server onDisk = S3Server.startOnDisk(objects)) {
            upstream.contentBytes = size;
            upstream.pauseAfterBytes = size / 2;
            first = GatewayHarness.start("""
                    channels: [{ name: sora, type: openai, base_url: "%s", key: %s, models: [sora-2] }]
                    users:
                      - { name: alice, balance: 10, keys: [{ key: %s }] }
                    tasks: { poll_interval_ms: 600000 }
                    mirror: { enabled: true, directory: "%s", s3: %s }
                    """.formatted(upstream.baseUrl(), FakeVideos.KEY, TestUsers.key("alice"),
                    directory.resolve("large"), onDisk.yaml()), clock);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long baseline = usedAfterGc(memory);
            String id = completedVideo(first);
            upstream.paused.get(20, TimeUnit.SECONDS);
            long downloading = usedAfterGc(memory) - baseline;
            upstream.resume.complete(null);
            await(() -> onDisk.keys().stream().anyMatch(k -> k.endsWith("-0.mp4")), "the copy in the bucket");
            long uploaded = usedAfterGc(memory) - baseline;
            System.out.printf("videos 50 MB copy to the bucket: heap growth downloading %.2f MB, uploaded %.2f MB%n",
                    downloading / 1048576.0, uploaded / 1048576.0);
            assertThat(downloading).isLessThan(size / 4);
            assertThat(uploaded).isLessThan(size / 4);

            HttpResponse<InputStream> whole = first.http().send(HttpRequest.newBuilder(URI.create(first.baseUrl()
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
            assertThat(upstream.contentRequests).as("served from the bucket").hasSize(2);
            await(() -> files(directory.resolve("large")).isEmpty(), "no partial file left");
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

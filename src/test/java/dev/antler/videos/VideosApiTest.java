package dev.antler.videos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.videos.Video;
import com.openai.models.videos.VideoCreateParams;
import com.openai.models.videos.VideoRemixParams;
import com.openai.models.videos.VideoSeconds;
import com.openai.models.videos.VideoSize;
import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.TaskPoller;
import dev.antler.testing.FormData;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SdkClients;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI Videos API through the gateway, with the official Java SDK as the client against a fake upstream on
 * a real socket: create (multipart and JSON), poll, download (streamed, with Range), list, remix, delete; per-second
 * billing in three stages; bad input in OpenAI's envelope, never charged.
 */
class VideosApiTest {

    private static final long SORA_SECOND = Usd.parse("0.10");
    private static final long OPENING = Usd.parse("10");

    private FakeVideos upstream;
    private GatewayHarness gw;
    private StoreView store;
    private SdkClients sdk;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeVideos();
        gw = GatewayHarness.start("""
                channels: [{ name: sora, type: openai, base_url: "%s", key: %s, models: [sora-2, sora-2-pro, veo3, veo3-fast] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeVideos.KEY, TestUsers.key("alice"), TestUsers.key("bob")),
                Clock.systemUTC());
        store = new StoreView(gw);
        sdk = new SdkClients(gw);
    }

    @AfterEach
    void stop() {
        sdk.close();
        gw.close();
        upstream.close();
    }

    private OpenAIClient alice() {
        return sdk.of("alice");
    }

    private java.net.http.HttpResponse<String> create(String user, String json) {
        return gw.post("/v1/videos", TestUsers.key(user), json);
    }

    private String createJson(String json) {
        java.net.http.HttpResponse<String> answer = create("alice", json);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        gw.awaitLedger();
        return Json.MAPPER.readTree(answer.body()).path("id").asString();
    }

    private void pollOften() {
        TaskPoller poller = gw.gateway().tasks().poller();
        for (int i = 0; i < 3; i++) {
            poller.pollOnce();
        }
        gw.awaitLedger();
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void theSdkCreatesPollsDownloadsListsRemixesAndDeletes() throws Exception {
        Video video = alice().videos().create(VideoCreateParams.builder().model("sora-2").prompt("a fox in snow")
                .seconds(VideoSeconds._8).size(VideoSize._1280X720).inputReference(new byte[] {1, 2, 3}).build());
        assertThat(video.id()).startsWith("video_").isNotEqualTo(upstream.lastId());
        assertThat(video.status()).isEqualTo(Video.Status.QUEUED);
        assertThat(video.seconds().asString()).isEqualTo("8");
        assertThat(upstream.createTypes.get(0)).startsWith("multipart/form-data");
        assertThat(upstream.forms.get(0)).contains("name=\"input_reference\"");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-8 * SORA_SECOND);

        upstream.progress(upstream.lastId(), 40);
        Video running = alice().videos().retrieve(video.id());
        assertThat(running.status()).isEqualTo(Video.Status.IN_PROGRESS);
        assertThat(running.progress()).isEqualTo(40);
        assertThatThrownBy(() -> alice().videos().downloadContent(video.id()))
                .isInstanceOf(com.openai.errors.BadRequestException.class).hasMessageContaining("is in_progress");

        upstream.finish(upstream.lastId(), "8");
        Video done = alice().videos().retrieve(video.id());
        assertThat(done.status()).isEqualTo(Video.Status.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.completedAt()).isPresent();
        assertThat(done.expiresAt()).contains(1_760_086_500L);
        try (HttpResponse content = alice().videos().downloadContent(video.id());
             InputStream in = content.body()) {
            byte[] bytes = in.readAllBytes();
            assertThat(bytes).hasSize(1000);
            assertThat(bytes[300]).isEqualTo((byte) (300 % 251));
        }

        Video remix = alice().videos().remix(video.id(), VideoRemixParams.builder().prompt("now at night").build());
        assertThat(remix.remixedFromVideoId()).contains(video.id());
        assertThat(remix.seconds().asString()).isEqualTo("8");
        assertThat(upstream.requests).anyMatch(r -> r.matches("POST /v1/videos/vid_up_1/remix"));
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-8 * SORA_SECOND, -8 * SORA_SECOND);

        List<Video> listed = alice().videos().list().data();
        assertThat(listed).extracting(Video::id).containsExactly(remix.id(), video.id());
        assertThat(sdk.of("bob").videos().list().data()).isEmpty();

        assertThat(alice().videos().delete(video.id()).deleted()).isTrue();
        assertThat(upstream.requests).contains("DELETE /v1/videos/vid_up_1");
        assertThatThrownBy(() -> alice().videos().retrieve(video.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> alice().videos().downloadContent(video.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> alice().videos().delete(video.id())).isInstanceOf(NotFoundException.class);
        assertThat(alice().videos().list().data()).extracting(Video::id).containsExactly(remix.id());
        var deleted = gw.gateway().tasks().store().find(video.id()).orElseThrow();
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(deleted.mode()).as("the mode column keeps its meaning").isNull();
        JsonNode admin = Json.MAPPER.readTree(gw.get("/api/admin/tasks/" + video.id(), GatewayHarness.ADMIN_KEY).body());
        assertThat(admin.path("deleted_at").isString()).as(admin.toString()).isTrue();
        assertThat(Json.MAPPER.readTree(gw.get("/api/admin/tasks/" + remix.id(), GatewayHarness.ADMIN_KEY).body())
                .path("deleted_at").isNull()).isTrue();
        assertBalanced("alice");
    }

    @Test
    void aVeoModelOnAnOpenAiChannelRunsThroughTheSdkBilledPerSecondAtItsPrice() throws Exception {
        long veoSecond = Usd.parse("0.40");
        // The SDK's create has one input_reference field: the first frame; a last frame has no typed part.
        Video video = alice().videos().create(VideoCreateParams.builder().model("veo3").prompt("a wave breaking")
                .inputReference(new byte[] {7, 7, 7}).build());
        assertThat(video.model().asString()).isEqualTo("veo3");
        assertThat(upstream.forms.get(0)).contains("name=\"input_reference\"").contains("veo3")
                .doesNotContain("name=\"seconds\"");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).as("8 s held when no seconds were sent")
                .containsExactly(-8 * veoSecond);

        upstream.progress(upstream.lastId(), 10);
        assertThat(alice().videos().retrieve(video.id()).status()).isEqualTo(Video.Status.IN_PROGRESS);
        upstream.finish(upstream.lastId(), "6");
        Video done = video;
        for (int i = 0; i < 20 && done.status() != Video.Status.COMPLETED; i++) {
            done = alice().videos().retrieve(video.id());
        }
        assertThat(done.status()).isEqualTo(Video.Status.COMPLETED);
        assertThat(done.seconds().asString()).isEqualTo("6");
        try (HttpResponse content = alice().videos().downloadContent(video.id());
             InputStream in = content.body()) {
            assertThat(in.readAllBytes()).hasSize(1000);
        }
        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).as("settled once on the 6 s made").containsExactly(2 * veoSecond);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 6 * veoSecond);
        assertBalanced("alice");
    }

    @Test
    void aFormWithFirstAndLastFrameReachesTheUpstreamWithBothParts() throws Exception {
        // The SDK's typed create has one input_reference; a raw form may carry two (first and last frame).
        FormData form = FormData.builder().field("model", "veo3-fast").field("prompt", "a door opening")
                .file("input_reference", "first.png", "image/png", new byte[] {1, 1, 1})
                .file("input_reference", "last.png", "image/png", new byte[] {2, 2, 2}).build();
        var answer = gw.http().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/videos"))
                .header("Authorization", "Bearer " + TestUsers.key("alice")).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        FormData received = FormData.parse(upstream.forms.get(0).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                upstream.createTypes.get(0));
        assertThat(received.parts()).filteredOn(p -> p.name().equals("input_reference"))
                .extracting(FormData.Part::filename).containsExactly("first.png", "last.png");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-8 * Usd.parse("0.15"));
    }

    @Test
    void aJsonCreateIsPassedThroughAndListPagesWithAfter() {
        String first = createJson("{\"model\":\"sora-2\",\"prompt\":\"one\"}");
        String second = createJson("{\"model\":\"sora-2\",\"prompt\":\"two\",\"seconds\":\"4\"}");
        assertThat(upstream.createTypes).allMatch(t -> t.startsWith("application/json"));
        JsonNode page = Json.MAPPER.readTree(gw.get("/v1/videos?limit=1&order=asc", TestUsers.key("alice")).body());
        assertThat(page.path("data").get(0).path("id").asString()).isEqualTo(first);
        assertThat(page.path("has_more").asBoolean()).isTrue();
        JsonNode next = Json.MAPPER.readTree(gw.get("/v1/videos?limit=1&order=asc&after=" + first,
                TestUsers.key("alice")).body());
        assertThat(next.path("data").get(0).path("id").asString()).isEqualTo(second);
        assertThat(next.path("has_more").asBoolean()).isFalse();
        var retrieved = gw.get("/v1/videos/" + first, TestUsers.key("alice"));
        assertThat(retrieved.headers().firstValue("openai-poll-after-ms")).isPresent();
        assertThat(retrieved.body()).doesNotContain("vid_up_");
    }

    @Test
    void fourSecondsAskedAndEightMadeChargesTheDifferenceOnce() {
        String id = createJson("{\"model\":\"sora-2\",\"prompt\":\"p\",\"seconds\":\"4\"}");
        upstream.finish(upstream.lastId(), "8");
        pollOften();
        gw.get("/v1/videos/" + id, TestUsers.key("alice"));
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-4 * SORA_SECOND, -4 * SORA_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 8 * SORA_SECOND);
        assertBalanced("alice");
    }

    @Test
    void eightAskedAndFourMadeRefundsOnceAndProPricesBySize() {
        createJson("{\"model\":\"sora-2\",\"prompt\":\"p\",\"seconds\":\"8\"}");
        upstream.finish(upstream.lastId(), "4");
        pollOften();
        assertThat(store.ledger("alice", "refund")).containsExactly(4 * SORA_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 4 * SORA_SECOND);

        createJson("{\"model\":\"sora-2-pro-2025-10-06\",\"prompt\":\"p\",\"seconds\":\"4\",\"size\":\"1792x1024\"}");
        createJson("{\"model\":\"sora-2-pro\",\"prompt\":\"p\",\"seconds\":\"4\"}");
        assertThat(store.ledger("alice", "charge")).containsExactly(-8 * SORA_SECOND, -4 * Usd.parse("0.50"),
                -4 * Usd.parse("0.30"));
        assertBalanced("alice");
    }

    @Test
    void theUsageSummaryNetsRefundedAndSettledTaskCharges() {
        upstream.fail(upstreamIdOf(createJson("{\"model\":\"sora-2\",\"prompt\":\"p\",\"seconds\":\"12\"}")),
                "blocked by moderation");
        upstream.finish(upstreamIdOf(createJson("{\"model\":\"sora-2\",\"prompt\":\"p\",\"seconds\":\"8\"}")),
                "4");
        pollOften();
        assertThat(store.ledger("alice", "refund")).containsExactlyInAnyOrder(12 * SORA_SECOND, 4 * SORA_SECOND);

        JsonNode summary = Json.MAPPER.readTree(gw.get("/api/admin/logs/summary?group_by=model",
                GatewayHarness.ADMIN_KEY).body());

        // charged 12 s and 8 s, refunded 12 s and 4 s: 4 s net, as the ledger says
        long spent = OPENING - store.balance("alice");
        assertThat(spent).isEqualTo(4 * SORA_SECOND);
        assertThat(summary.path("total").path("cost").decimalValue()).isEqualByComparingTo(Usd.toDecimal(spent));
        assertThat(summary.path("total").path("requests").asLong()).isEqualTo(2);
        assertThat(summary.path("data")).singleElement().satisfies(row -> {
            assertThat(row.path("model").asString()).isEqualTo("sora-2");
            assertThat(row.path("cost").decimalValue()).isEqualByComparingTo(Usd.toDecimal(spent));
        });
        assertBalanced("alice");
    }

    private String upstreamIdOf(String id) {
        return gw.gateway().tasks().store().find(id).orElseThrow().upstreamId();
    }

    @Test
    void aFailureRefundsOnceUnderRacingPollsAndFetches() throws Exception {
        String id = createJson("{\"model\":\"sora-2\",\"prompt\":\"p\",\"seconds\":\"12\"}");
        upstream.fail(upstream.lastId(), "blocked by moderation");
        TaskPoller poller = gw.gateway().tasks().poller();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            boolean polls = t % 2 == 0;
            runs.add(threads.submit(() -> {
                go.await();
                if (polls) {
                    poller.pollOnce();
                } else {
                    gw.get("/v1/videos/" + id, TestUsers.key("alice"));
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
        assertThat(store.ledger("alice", "refund")).containsExactly(12 * SORA_SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        JsonNode shown = Json.MAPPER.readTree(gw.get("/v1/videos/" + id, TestUsers.key("alice")).body());
        assertThat(shown.path("status").asString()).isEqualTo("failed");
        assertThat(shown.path("error").path("code").asString()).isEqualTo("moderation_blocked");
        assertBalanced("alice");
    }

    @Test
    void badInputIsRefusedInOpenAisEnvelopeAndNeverCharged() {
        assertError(create("alice", "{\"model\":\"sora-2\",\"prompt\":\"p\",\"seconds\":\"5\"}"), 400,
                "seconds: 5 (expected: one of 4, 8, 12 for sora-2)");
        assertError(create("alice", "{\"model\":\"sora-2\",\"prompt\":\"p\",\"size\":\"1792x1024\"}"), 400,
                "size: 1792x1024 (expected: one of 720x1280, 1280x720 for sora-2)");
        assertError(create("alice", "{\"model\":\"sora-2\"}"), 400, "prompt: missing");
        var unknown = create("alice", "{\"model\":\"no-such-video\",\"prompt\":\"p\"}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("error").path("code").asString())
                .isEqualTo("model_not_found");
        String id = createJson("{\"model\":\"sora-2\",\"prompt\":\"p\"}");
        assertError(gw.get("/v1/videos/" + id, TestUsers.key("bob")), 404, "video_id: " + id);
        assertError(gw.get("/v1/videos/" + id + "/content", TestUsers.key("bob")), 404, "video_id: " + id);
        var early = gw.get("/v1/videos/" + id + "/content", TestUsers.key("alice"));
        assertError(early, 400, "is queued");
        // OpenAI answers a download before completion with an invalid_request_error JSON error, never a file.
        assertThat(Json.MAPPER.readTree(early.body()).path("error").path("type").asString())
                .isEqualTo("invalid_request_error");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-4 * SORA_SECOND);
        assertThat(store.ledger("bob", "charge")).isEmpty();
        assertThat(upstream.createTypes).hasSize(1);
    }

    private static void assertError(java.net.http.HttpResponse<String> answer, int status, String message) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("message").asString()).contains(message);
        assertThat(error.has("type")).isTrue();
    }

    /** The count once it has stopped growing for 300 ms (at most 10 s): what was sent until back-pressure held. */
    private static long stalledAt(java.util.concurrent.atomic.AtomicInteger count) throws InterruptedException {
        long last = count.get();
        long stableSince = System.nanoTime();
        long deadline = stableSince + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - stableSince < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = count.get();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    @Test
    void aLargeVideoIsStreamedNotBufferedAndRangesPassThrough() throws Exception {
        // More than every socket buffer on the way can hold (this machine's loopback grows a receive buffer to
        // 32 MiB, a send buffer to 4 MiB; two of each between the upstream and the client): what the gateway holds
        // back shows as the upstream stalling before it has sent it all.
        upstream.contentBytes = 128L * 1024 * 1024;
        String id = createJson("{\"model\":\"sora-2\",\"prompt\":\"p\"}");
        upstream.finish(upstream.lastId(), "4");
        pollOften();

        var range = gw.http().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/videos/" + id + "/content"))
                .header("Authorization", "Bearer " + TestUsers.key("alice")).header("Range", "bytes=1000-1009")
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 1000-1009/" + upstream.contentBytes);
        assertThat(range.body()).hasSize(10);
        assertThat(range.body()[0]).isEqualTo((byte) (1000 % 251));
        assertThat(range.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Upstream-Secret"));

        var whole = gw.http().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/videos/" + id + "/content"))
                .header("Authorization", "Bearer " + TestUsers.key("alice")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(upstream.contentBytes);
        int before = upstream.contentWrites.get();
        try (InputStream in = whole.body()) {
            assertThat(in.read()).isEqualTo(0);
            long sent = stalledAt(upstream.contentWrites) - before;
            System.out.printf("videos download: the upstream stalled after %.1f of %d MiB while the client did not"
                    + " read%n", sent / 1048576.0, upstream.contentBytes >> 20);
            assertThat(sent).as("the gateway holds back the upstream while the client does not read")
                    .isLessThan(upstream.contentBytes);
            long total = 1;
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
            assertThat(total).isEqualTo(upstream.contentBytes);
        }
    }
}

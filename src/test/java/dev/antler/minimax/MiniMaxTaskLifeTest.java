package dev.antler.minimax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskPoller;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.Race;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * MiniMax tasks under racing pollers, sweeps and client reads, past the timeout, across a restart of the gateway,
 * and when MiniMax rate-limits a poll or fails a file retrieve.
 */
class MiniMaxTaskLifeTest {

    private static final long OPENING = Usd.parse("10");
    private static final long HAILUO_23_768P_6S = Usd.parse("0.28");
    private static final long H3_768P_SECOND = Usd.parse("0.08");

    private static String yaml(FakeMiniMax upstream, String tasks) {
        return """
                channels: [{ name: mm, type: minimax, base_url: "%s", key: "%s" }]
                users: [{ name: alice, balance: 10, keys: [{ key: %s }] }]
                tasks: %s
                """.formatted(upstream.baseUrl(), FakeMiniMax.KEY, TestUsers.key("alice"), tasks);
    }

    private static String submit(GatewayHarness gw, String api, String body) {
        HttpResponse<String> answer = gw.post("/minimax/" + api + "/video_generation", TestUsers.key("alice"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        gw.awaitLedger();
        return Json.MAPPER.readTree(answer.body()).path("task_id").asString();
    }

    private static JsonNode v1Query(GatewayHarness gw, String id) {
        HttpResponse<String> answer = gw.get("/minimax/v1/query/video_generation?task_id=" + id, TestUsers.key("alice"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private static JsonNode v2Query(GatewayHarness gw, String id) {
        HttpResponse<String> answer = gw.get("/minimax/v2/query/video_generation/" + id, TestUsers.key("alice"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body()).path("task");
    }

    @Test
    void failuresUnderRacingPollsReadsAndSweepsAreRefundedExactlyOnce() throws Exception {
        ManualClock clock = ManualClock.now();
        try (FakeMiniMax upstream = new FakeMiniMax();
             GatewayHarness gw = GatewayHarness.start(yaml(upstream, "{ poll_interval_ms: 600000, timeout_seconds: 60 }"),
                     clock)) {
            StoreView store = new StoreView(gw);
            upstream.failNext = true;
            String v1 = submit(gw, "v1", "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a storm\"}");
            upstream.failNext = true;
            String v2 = submit(gw, "v2", "{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"a storm\"}]}");
            v1Query(gw, v1);
            v1Query(gw, v1); // Processing: the next look sees Fail
            v2Query(gw, v2); // running: the next look sees failed
            clock.advanceSeconds(61); // the sweep wants to end both too
            TaskPoller poller = gw.gateway().tasks().poller();
            Race.run(16,
                    () -> poller.pollOnce(),
                    () -> poller.sweepOnce(),
                    () -> v1Query(gw, v1),
                    () -> v2Query(gw, v2));
            gw.awaitLedger();
            for (String id : List.of(v1, v2)) {
                Task task = gw.gateway().tasks().store().find(id).orElseThrow();
                assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
                assertThat(task.charge().refundState()).isEqualTo("refunded");
            }
            assertThat(store.ledger("alice", "refund")).containsExactlyInAnyOrder(HAILUO_23_768P_6S,
                    5 * H3_768P_SECOND);
            assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));
            assertThat(store.used("alice")).isZero();
            assertThat(v1Query(gw, v1).path("status").asString()).isEqualTo("Fail");
            JsonNode failed = v2Query(gw, v2);
            assertThat(failed.path("status").asString()).isEqualTo("failed");
            assertThat(failed.path("error").path("message").asString()).isNotBlank();
        }
    }

    @Test
    void aTaskPastTheTimeoutIsRefundedAndStaysQueryable() throws Exception {
        ManualClock clock = ManualClock.now();
        try (FakeMiniMax upstream = new FakeMiniMax();
             GatewayHarness gw = GatewayHarness.start(yaml(upstream, "{ poll_interval_ms: 600000, timeout_seconds: 60 }"),
                     clock)) {
            StoreView store = new StoreView(gw);
            String v1 = submit(gw, "v1", "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a slow heron\"}");
            String v2 = submit(gw, "v2", "{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"slow\"}]}");
            clock.advanceSeconds(61);
            assertThat(gw.gateway().tasks().poller().sweepOnce()).isEqualTo(2);
            assertThat(gw.gateway().tasks().poller().sweepOnce()).isZero();
            gw.awaitLedger();
            assertThat(store.ledger("alice", "refund")).containsExactlyInAnyOrder(HAILUO_23_768P_6S, 5 * H3_768P_SECOND);
            assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));

            int asked = upstream.requests.size();
            JsonNode shown = v1Query(gw, v1);
            assertThat(shown.path("task_id").asString()).isEqualTo(v1);
            assertThat(shown.path("status").asString()).isEqualTo("Fail");
            assertThat(shown.path("error_message").asString()).startsWith("timeout:");
            JsonNode v2Shown = v2Query(gw, v2);
            assertThat(v2Shown.path("status").asString()).isEqualTo("failed");
            assertThat(v2Shown.path("error").path("message").asString()).startsWith("timeout:");
            assertThat(upstream.requests).as("a finished task is not asked about").hasSize(asked);
            assertThat(gw.gateway().tasks().poller().pollOnce()).isZero();
            gw.awaitLedger();
            assertThat(store.ledger("alice", "refund")).hasSize(2);
        }
    }

    @Test
    void aRateLimitedPollBacksOffAndAFailedRetrieveIsRetriedUntilTheVideoIsThere() throws Exception {
        try (FakeMiniMax upstream = new FakeMiniMax();
             GatewayHarness gw = GatewayHarness.start(yaml(upstream, "{ poll_interval_ms: 600000 }"))) {
            StoreView store = new StoreView(gw);
            String id = submit(gw, "v1", "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a bee\"}");
            upstream.busy.set(1);
            gw.gateway().tasks().poller().pollOnce();
            assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("mm"))).isTrue();
            v1Query(gw, id);
            v1Query(gw, id);
            upstream.retrieveFailures.set(1);
            JsonNode waiting = v1Query(gw, id);
            assertThat(waiting.path("status").asString()).as("no Success without the file").isEqualTo("Processing");
            JsonNode done = v1Query(gw, id);
            assertThat(done.path("status").asString()).isEqualTo("Success");
            assertThat(upstream.requests.stream().filter(r -> r.startsWith("GET /v1/files/retrieve")).count())
                    .isEqualTo(2);
        }
    }

    @Test
    void aResultLinkServedAfterAnHourAsksMiniMaxForAFreshFileUrl() throws Exception {
        ManualClock clock = ManualClock.now();
        try (FakeMiniMax upstream = new FakeMiniMax();
             GatewayHarness gw = GatewayHarness.start(yaml(upstream, "{ poll_interval_ms: 600000 }"), clock)) {
            String id = submit(gw, "v1", "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a bee\"}");
            for (int i = 0; i < 3; i++) {
                v1Query(gw, id);
            }
            HttpResponse<String> file = gw.get("/minimax/v1/files/retrieve?file_id=" + id, TestUsers.key("alice"));
            URI link = URI.create(Json.MAPPER.readTree(file.body()).path("file").path("download_url").asString());
            HttpResponse<byte[]> fresh = gw.http().send(HttpRequest.newBuilder(link).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fresh.statusCode()).isEqualTo(200);
            long retrieves = upstream.requests.stream().filter(r -> r.startsWith("GET /v1/files/retrieve")).count();
            assertThat(retrieves).isEqualTo(1);
            clock.advanceSeconds(2 * 3600);
            HttpResponse<byte[]> later = gw.http().send(HttpRequest.newBuilder(link).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(later.statusCode()).isEqualTo(200);
            assertThat(later.body()).isEqualTo(upstream.result(upstream.lastId() + ".mp4"));
            assertThat(upstream.requests.stream().filter(r -> r.startsWith("GET /v1/files/retrieve")).count())
                    .as("the hour-old URL was asked for again").isEqualTo(2);
        }
    }

    @Test
    void aVideoInProgressAtAStopIsFinishedByTheNextGatewayChargedOnceAndServed() throws Exception {
        Path directory = Files.createTempDirectory("antler-minimax-restart-");
        try (FakeMiniMax upstream = new FakeMiniMax()) {
            String v1;
            String v2;
            String tasks = "{ poll_interval_ms: %d }\ndatabase: { url: \"jdbc:sqlite:" + directory.resolve("antler.db")
                    + "\" }";
            try (GatewayHarness first = GatewayHarness.start(yaml(upstream, tasks.formatted(600_000)))) {
                v1 = submit(first, "v1", "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a harbour\"}");
                v2 = submit(first, "v2", "{\"model\":\"MiniMax-H3\",\"duration\":8,"
                        + "\"content\":[{\"type\":\"text\",\"text\":\"a harbour\"}]}");
                assertThat(v1Query(first, v1).path("status").asString()).isEqualTo("Queueing");
            }
            try (GatewayHarness second = GatewayHarness.start(yaml(upstream, tasks.formatted(20)))) {
                long deadline = System.currentTimeMillis() + 10_000;
                for (String id : List.of(v1, v2)) {
                    Task task = second.gateway().tasks().store().find(id).orElseThrow();
                    while (task.status() != TaskStatus.SUCCESS) {
                        assertThat(System.currentTimeMillis()).as("the new gateway's poller finishes " + id)
                                .isLessThan(deadline);
                        Thread.sleep(20);
                        task = second.gateway().tasks().store().find(id).orElseThrow();
                    }
                }
                second.awaitLedger();
                StoreView store = new StoreView(second);
                assertThat(store.ledger("alice", "charge")).containsExactly(-HAILUO_23_768P_6S, -8 * H3_768P_SECOND);
                assertThat(store.ledger("alice", "refund")).as("8 s made of the 8 held").isEmpty();
                assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));

                String link = v2Query(second, v2).path("content").path("url").asString();
                String path = link.substring(link.indexOf("/results/"));
                HttpResponse<byte[]> video = second.http().send(HttpRequest.newBuilder(
                        URI.create(second.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(video.statusCode()).isEqualTo(200);
                assertThat(video.body()).isEqualTo(upstream.result(upstream.lastId() + ".mp4"));
                second.get("/minimax/v1/query/video_generation?task_id=" + v1, TestUsers.key("alice"));
                Thread.sleep(100);
                second.awaitLedger();
                assertThat(store.ledger("alice", "charge")).hasSize(2);
                assertThat(store.ledger("alice", "refund")).isEmpty();
            }
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

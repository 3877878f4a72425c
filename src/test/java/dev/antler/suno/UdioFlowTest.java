package dev.antler.suno;

import static dev.antler.suno.SunoGateway.ALICE;
import static dev.antler.suno.SunoGateway.BOB;
import static dev.antler.suno.SunoGateway.json;
import static dev.antler.suno.SunoGateway.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Udio over real sockets: submit, one poll call per task to an end, a failure refunded once. */
class UdioFlowTest {

    private static final String SONG = "{'gen_params':{'prompt':'late night jazz','model_type':'udio130-v1.5'}}";

    private FakeUdio upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() {
        upstream = FakeUdio.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: udio-a, type: udio, base_url: "%s", key: %s }
                users:
                %s
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeUdio.KEY, TestUsers.yaml("alice", "bob")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private Task stored(String id) {
        return gw.gateway().tasks().store().find(id).orElseThrow();
    }

    @Test
    void aSongIsPolledOneTaskPerCallToSuccessAndChargedOnce() {
        String id = submit(gw, ALICE, "/udio/submit/music", SONG);
        String other = submit(gw, ALICE, "/udio/submit/music", "{'gen_params':{'prompt':'a second song'}}");
        String upstreamId = stored(id).upstreamId();
        assertThat(upstream.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo("Bearer " + FakeUdio.KEY);
            assertThat(r.text()).doesNotContain(ALICE);
        });
        for (int round = 0; round < 3; round++) {
            gw.gateway().tasks().poller().round();
        }
        assertThat(stored(id).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(other).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(upstream.count("GET", "/udio/fetch/" + upstreamId)).as("one call per task per round").isEqualTo(3);

        HttpResponse<String> fetched = gw.get("/udio/fetch/" + id, ALICE);
        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
        JsonNode task = json(fetched).path("data");
        assertThat(task.path("task_id").asString()).isEqualTo(id);
        assertThat(task.path("action").asString()).isEqualTo("udio-generate");
        assertThat(task.path("status").asString()).isEqualTo("SUCCESS");
        assertThat(task.path("songs").size()).isEqualTo(2);
        assertThat(task.path("songs").get(0).path("song_path").asString()).endsWith(".mp3");
        assertThat(fetched.body()).doesNotContain(upstreamId, FakeUdio.ARTIST, "generation_id", "user_id");
        assertThat(upstream.count("GET", "/udio/fetch/" + upstreamId)).as("a finished task is not asked again")
                .isEqualTo(3);
        assertThat(gw.get("/udio/fetch/" + id, BOB).statusCode()).isEqualTo(404);

        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.60"), -Usd.parse("0.30"));
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - Usd.parse("0.90"));
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
    }

    @Test
    void anErrorAboutOneTaskDoesNotHoldUpTheChannelsOtherTasks() {
        String first = submit(gw, ALICE, "/udio/submit/music", SONG);
        String second = submit(gw, ALICE, "/udio/submit/music", "{'gen_params':{'prompt':'second'}}");
        upstream.enqueue(FakeSuno.Reply.status(500));
        gw.gateway().tasks().poller().round();
        assertThat(upstream.count("GET", "/udio/fetch/" + stored(first).upstreamId())
                + upstream.count("GET", "/udio/fetch/" + stored(second).upstreamId())).isEqualTo(2);
        assertThat(gw.gateway().tasks().poller().backingOff(store.channelId("udio-a"))).isFalse();
        for (int round = 0; round < 3; round++) {
            gw.gateway().tasks().poller().round();
        }
        assertThat(stored(first).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(second).status()).isEqualTo(TaskStatus.SUCCESS);
    }

    @Test
    void aFailedSongIsRefundedOnceAndBadInputIsNeitherChargedNorSent() {
        upstream.failNext("moderation: lyrics");
        String id = submit(gw, ALICE, "/udio/submit/music", SONG);
        gw.awaitLedger(); // a refund waits for its charge to be written
        for (int round = 0; round < 3; round++) {
            gw.gateway().tasks().poller().round();
        }
        JsonNode task = json(gw.get("/udio/fetch/" + id, ALICE)).path("data");
        assertThat(task.path("status").asString()).isEqualTo("FAILURE");
        assertThat(task.path("fail_reason").asString()).isEqualTo("moderation: lyrics");

        HttpResponse<String> noPrompt = gw.post("/udio/submit/music", BOB, "{\"gen_params\":{\"lyrics\":\"la\"}}");
        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(json(noPrompt).path("code").asString()).isEqualTo("prompt_empty");
        HttpResponse<String> unknown = gw.post("/udio/submit/video", BOB, "{\"gen_params\":{\"prompt\":\"x\"}}");
        assertThat(json(unknown).path("code").asString()).isEqualTo("invalid_action");

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(Usd.parse("0.60"));
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
        assertThat(store.used("alice")).isZero();
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
        assertThat(store.balance("bob")).isEqualTo(Usd.parse("10"));
        assertThat(upstream.count("POST", "/udio/submit/music")).isEqualTo(1);
    }
}

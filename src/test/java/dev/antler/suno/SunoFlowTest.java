package dev.antler.suno;

import static dev.antler.suno.SunoGateway.ALICE;
import static dev.antler.suno.SunoGateway.BOB;
import static dev.antler.suno.SunoGateway.fetchUntil;
import static dev.antler.suno.SunoGateway.json;
import static dev.antler.suno.SunoGateway.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.StoreView;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Suno over real sockets: the gateway in front of {@link FakeSuno}, with the money checked in the store. */
class SunoFlowTest {

    private FakeSuno upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() {
        upstream = FakeSuno.start();
        gw = GatewayHarness.start(SunoGateway.yaml(upstream, "{ poll_interval_ms: 600000 }")
                + "prices: { chirp-crow: { per_call: 0.45 } }\n");
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    /** Asserts no answer the client got shows the upstream's ids or the upstream account. */
    private void assertHidesTheUpstream(List<String> answers) {
        for (String answer : answers) {
            for (String upstreamId : upstream.upstreamIds()) {
                assertThat(answer).doesNotContain(upstreamId);
            }
            assertThat(answer).doesNotContain(FakeSuno.ACCOUNT_HANDLE, FakeSuno.ACCOUNT_USER_ID, "user_id",
                    "display_name", "avatar_image_url", "play_count");
        }
    }

    @Test
    void aSongIsSubmittedFetchedToSuccessWithTwoClipsAndChargedOnceAtItsModelsPrice() {
        List<String> answers = new ArrayList<>();
        HttpResponse<String> submitted = gw.post("/suno/submit/music", ALICE,
                "{\"gpt_description_prompt\":\"a song about the sea\",\"mv\":\"chirp-crow\"}");
        answers.add(submitted.body());
        String id = json(submitted).path("data").asString();
        assertThat(id).startsWith("task_");
        assertThat(json(submitted).path("code").asString()).isEqualTo("success");

        HttpResponse<String> done = fetchUntil(gw, ALICE, "/suno/fetch/", id, "SUCCESS");
        answers.add(done.body());
        JsonNode task = json(done).path("data");
        assertThat(task.path("task_id").asString()).isEqualTo(id);
        assertThat(task.path("action").asString()).isEqualTo("MUSIC");
        assertThat(task.path("progress").asString()).isEqualTo("100%");
        assertThat(task.path("finish_time").asLong()).isPositive();
        JsonNode clips = task.path("data");
        assertThat(clips.size()).isEqualTo(2);
        for (JsonNode clip : clips) {
            assertThat(clip.path("status").asString()).isEqualTo("complete");
            assertThat(clip.path("audio_url").asString()).endsWith(".mp3");
            assertThat(clip.path("model_name").asString()).isEqualTo("chirp-crow");
        }

        HttpResponse<String> batch = gw.post("/suno/fetch", ALICE, "{\"ids\":[\"" + id + "\",\"task_nope\"]}");
        answers.add(batch.body());
        assertThat(json(batch).path("data").size()).isEqualTo(1);
        assertThat(json(batch).path("data").get(0).path("status").asString()).isEqualTo("SUCCESS");
        assertThat(json(gw.post("/suno/fetch", ALICE, "{\"ids\":[\"" + id + "\"],\"action\":\"LYRICS\"}"))
                .path("data").size()).as("filtered by action").isZero();
        assertHidesTheUpstream(answers);

        ReceivedRequest sent = upstream.requests().get(0);
        assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /suno/submit/music");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + FakeSuno.KEY);
        assertThat(sent.text()).doesNotContain(ALICE);

        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.45"));
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - Usd.parse("0.45"));
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
        List<StoreView.UsageRow> rows = store.awaitUsage("alice", 7);
        assertThat(rows).extracting(StoreView.UsageRow::endpoint).containsOnlyOnce("suno.music")
                .contains("suno.fetch", "suno.fetch_batch");
        assertThat(rows).filteredOn(r -> !r.endpoint().equals("suno.music")).allMatch(r -> r.costNanos() == 0);
        assertThat(rows).filteredOn(r -> r.endpoint().equals("suno.music")).singleElement()
                .satisfies(r -> assertThat(r.model()).isEqualTo("chirp-crow"));
    }

    @Test
    void lyricsAreBilledAtTheirOwnPriceAndADefaultSongAtSunoMusicsPrice() {
        String lyrics = submit(gw, ALICE, "/suno/submit/lyrics", "{'prompt':'rain on a tin roof'}");
        JsonNode done = json(fetchUntil(gw, ALICE, "/suno/fetch/", lyrics, "SUCCESS")).path("data");
        assertThat(done.path("action").asString()).isEqualTo("LYRICS");
        assertThat(done.path("data").path("text").asString()).contains("rain on a tin roof");
        String song = submit(gw, ALICE, "/suno/submit/music", "{'prompt':'[Verse] la','tags':'pop'}");

        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.01"), -Usd.parse("0.30"));
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - Usd.parse("0.31"));
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
        assertThat(gw.gateway().tasks().store().find(song).orElseThrow().action()).isEqualTo("MUSIC");
    }

    @Test
    void badInputIsRefusedInSunosShapeUnchargedAndNeverSentUpstream() {
        HttpResponse<String> noPrompt = gw.post("/suno/submit/lyrics", BOB, "{\"title\":\"x\"}");
        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(json(noPrompt).path("code").asString()).isEqualTo("prompt_empty");
        assertThat(json(noPrompt).path("data").isNull()).isTrue();
        assertThat(json(noPrompt).path("message").asString()).startsWith("prompt: missing (expected: ");

        HttpResponse<String> noTask = gw.post("/suno/submit/music", BOB, "{\"continue_clip_id\":\"clip-1\",\"prompt\":\"x\"}");
        assertThat(noTask.statusCode()).isEqualTo(400);
        assertThat(json(noTask).path("code").asString()).isEqualTo("missing_task_id");

        HttpResponse<String> unknown = gw.post("/suno/submit/dance", BOB, "{\"prompt\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("code").asString()).isEqualTo("invalid_action");
        assertThat(json(unknown).path("data").isNull()).isTrue();

        assertThat(gw.get("/suno/submit/music", BOB).statusCode()).isEqualTo(405);
        assertThat(gw.get("/suno/fetch/task_nope", BOB).statusCode()).isEqualTo(404);
        assertThat(gw.post("/suno/submit/music", "sk-nobody-0001", "{\"prompt\":\"x\"}").statusCode()).isEqualTo(401);

        upstream.refuseNext(400, "task_origin_not_exist", "task_origin_not_exist");
        HttpResponse<String> refused = gw.post("/suno/submit/music", BOB, "{\"prompt\":\"x\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("code").asString()).isEqualTo("task_origin_not_exist");

        gw.awaitLedger();
        assertThat(upstream.requests()).as("only the one the upstream refused").hasSize(1);
        assertThat(store.balance("bob")).isEqualTo(Usd.parse("10"));
        assertThat(store.ledger("bob", "charge")).isEmpty();
    }

    @Test
    void theExtrasAreAnsweredAtOnceChargedPerCallWithoutTheAccount() {
        HttpResponse<String> timing = gw.get("/suno/act/timing/clip-1", ALICE);
        assertThat(timing.statusCode()).as(timing.body()).isEqualTo(200);
        assertThat(json(timing).path("aligned_words").size()).isEqualTo(1);
        HttpResponse<String> persona = gw.post("/suno/persona/create", ALICE,
                "{\"root_clip_id\":\"clip-1\",\"name\":\"Ann\"}");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(200);
        assertThat(json(persona).path("clip").path("id").asString()).isEqualTo("clip-1");
        HttpResponse<String> tags = gw.post("/suno/act/tags", ALICE, "{\"original_tags\":\"dreamy synth pop\"}");
        assertThat(json(tags).path("upsampled_tags").asString()).contains("dreamy synth pop");
        assertHidesTheUpstream(List.of(timing.body(), persona.body(), tags.body()));
        assertThat(upstream.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /suno/act/timing/clip-1", "POST /suno/persona/create", "POST /suno/act/tags");
        assertThat(gw.get("/suno/act/vox/clip-1", ALICE).statusCode()).as("vox is a POST").isEqualTo(404);

        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.01"), -Usd.parse("0.05"),
                -Usd.parse("0.01"));
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
        assertThat(gw.gateway().tasks().store().list(null, "suno", null, 10, 0)).as("no task follows").isEmpty();
    }

    @Test
    void aFailedSongIsRefundedOnceAndAnotherUsersTaskIsNotFound() {
        upstream.failNext("lyrics flagged by moderation");
        String id = submit(gw, ALICE, "/suno/submit/music", "{'gpt_description_prompt':'x'}");
        gw.awaitLedger(); // a refund waits for its charge to be written
        assertThat(gw.get("/suno/fetch/" + id, BOB).statusCode()).isEqualTo(404);
        assertThat(json(gw.post("/suno/fetch", BOB, "{\"ids\":[\"" + id + "\"]}")).path("data").size()).isZero();

        JsonNode failed = json(fetchUntil(gw, ALICE, "/suno/fetch/", id, "FAILURE")).path("data");
        assertThat(failed.path("fail_reason").asString()).isEqualTo("lyrics flagged by moderation");
        gw.gateway().tasks().poller().round();
        gw.get("/suno/fetch/" + id, ALICE);

        gw.awaitLedger();
        assertThat(store.ledger("alice", "refund")).containsExactly(Usd.parse("0.30"));
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
        assertThat(store.used("alice")).isZero();
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
    }

    @Test
    void thePollerAsksAboutEveryTaskOfAChannelInOneCallAndBacksOffOn429() {
        String a = submit(gw, ALICE, "/suno/submit/music", "{'gpt_description_prompt':'a'}");
        submit(gw, ALICE, "/suno/submit/lyrics", "{'prompt':'b'}");
        assertThat(gw.gateway().tasks().poller().round()).isTrue();
        List<ReceivedRequest> polls = upstream.requests().stream().filter(r -> r.path().equals("/suno/fetch")).toList();
        assertThat(polls).hasSize(1);
        assertThat(polls.get(0).json().path("ids").size()).isEqualTo(2);
        assertThat(polls.get(0).header("Authorization")).isEqualTo("Bearer " + FakeSuno.KEY);

        upstream.busy(1);
        assertThat(gw.gateway().tasks().poller().round()).isTrue();
        long channel = store.channelId("suno-a");
        assertThat(gw.gateway().tasks().poller().backingOff(channel)).isTrue();
        assertThat(gw.gateway().tasks().store().find(a).orElseThrow().status()).isEqualTo(TaskStatus.SUBMITTED);
        long calls = upstream.count("POST", "/suno/fetch");
        gw.gateway().tasks().poller().round();
        assertThat(upstream.count("POST", "/suno/fetch")).as("a channel backing off is not polled").isEqualTo(calls);
        gw.awaitLedger();
        assertThat(store.usage("alice")).extracting(StoreView.UsageRow::endpoint)
                .as("the gateway's own polls write no usage rows").containsExactly("suno.music", "suno.lyrics");
    }

    @Test
    void aSubmitAnswered429GoesToTheNextChannel() {
        try (FakeSuno spare = FakeSuno.start();
             GatewayHarness two = GatewayHarness.start("""
                     channels:
                       - { name: first, type: suno, base_url: "%s", key: %s, priority: 10 }
                       - { name: spare, type: suno, base_url: "%s", key: %s }
                     users: [{ name: carol, balance: 1, keys: [{ key: sk-carol-suno-0001 }] }]
                     """.formatted(upstream.baseUrl(), FakeSuno.KEY, spare.baseUrl(), FakeSuno.KEY))) {
            upstream.busy(1);
            String id = submit(two, "sk-carol-suno-0001", "/suno/submit/music", "{'prompt':'x'}");
            StoreView view = new StoreView(two);
            assertThat(two.gateway().tasks().store().find(id).orElseThrow().channelId()).isEqualTo(view.channelId("spare"));
            assertThat(upstream.count("POST", "/suno/submit/music")).isEqualTo(1);
            assertThat(spare.count("POST", "/suno/submit/music")).isEqualTo(1);
            StoreView.UsageRow row = view.onlyUsage("carol");
            assertThat(row.attempts()).isEqualTo(2);
            assertThat(row.costNanos()).isEqualTo(Usd.parse("0.30"));
            assertThat(view.ledger("carol", "charge")).containsExactly(-Usd.parse("0.30"));
        }
    }
}

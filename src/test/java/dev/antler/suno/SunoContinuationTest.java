package dev.antler.suno;

import static dev.antler.suno.SunoGateway.ALICE;
import static dev.antler.suno.SunoGateway.BOB;
import static dev.antler.suno.SunoGateway.fetchUntil;
import static dev.antler.suno.SunoGateway.json;
import static dev.antler.suno.SunoGateway.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.tasks.Task;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A continuation over two channels: it goes to the channel of the task it extends (whose upstream alone has the
 * clip), even when the other channel is the first choice, with that task's upstream id; another user's task is 404.
 */
class SunoContinuationTest {

    @Test
    void aContinuationIsPinnedToItsOriginsChannelWithTheOriginsUpstreamId() {
        try (FakeSuno first = FakeSuno.start(); FakeSuno second = FakeSuno.start();
             GatewayHarness gw = GatewayHarness.start("""
                     channels:
                       - { name: first, type: suno, base_url: "%s", key: %s, priority: 10 }
                       - { name: second, type: suno, base_url: "%s", key: %s }
                     users:
                     %s
                     tasks: { poll_interval_ms: 600000 }
                     """.formatted(first.baseUrl(), FakeSuno.KEY, second.baseUrl(), FakeSuno.KEY,
                     TestUsers.yaml("alice", "bob")))) {
            StoreView store = new StoreView(gw);
            // The first channel is the first choice; a 429 there sends the origin song to the second one.
            first.busy(1);
            String origin = submit(gw, ALICE, "/suno/submit/music", "{'prompt':'[Verse] the origin','tags':'folk'}");
            Task stored = gw.gateway().tasks().store().find(origin).orElseThrow();
            assertThat(stored.channelId()).isEqualTo(store.channelId("second"));
            JsonNode done = json(fetchUntil(gw, ALICE, "/suno/fetch/", origin, "SUCCESS")).path("data");
            String clip = done.path("data").get(0).path("id").asString();

            String extended = submit(gw, ALICE, "/suno/submit/music", "{'task_id':'" + origin + "','continue_clip_id':'"
                    + clip + "','continue_at':60,'task':'extend','prompt':'[Chorus] more'}");
            assertThat(first.count("POST", "/suno/submit/music")).as("only the 429").isEqualTo(1);
            List<ReceivedRequest> submits = second.requests().stream()
                    .filter(r -> r.path().equals("/suno/submit/music")).toList();
            assertThat(submits).hasSize(2);
            JsonNode sent = submits.get(1).json();
            assertThat(sent.path("task_id").asString()).isEqualTo(stored.upstreamId());
            assertThat(sent.path("continue_clip_id").asString()).isEqualTo(clip);
            assertThat(gw.gateway().tasks().store().find(extended).orElseThrow().channelId())
                    .isEqualTo(store.channelId("second"));

            String fresh = submit(gw, ALICE, "/suno/submit/music", "{'prompt':'[Verse] new'}");
            assertThat(gw.gateway().tasks().store().find(fresh).orElseThrow().channelId())
                    .as("a new song still goes to the first choice").isEqualTo(store.channelId("first"));

            HttpResponse<String> bobs = gw.post("/suno/submit/music", BOB, ("{'task_id':'" + origin
                    + "','continue_clip_id':'" + clip + "','continue_at':60}").replace('\'', '"'));
            assertThat(bobs.statusCode()).as(bobs.body()).isEqualTo(404);
            assertThat(json(bobs).path("code").asString()).isEqualTo("task_not_found");
            assertThat(json(bobs).path("data").isNull()).isTrue();
            HttpResponse<String> unknown = gw.post("/suno/submit/concat", ALICE,
                    "{\"clip_id\":\"c1\",\"task_id\":\"task_unknown\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(first.count("POST", "/suno/submit/music") + second.count("POST", "/suno/submit/music"))
                    .as("nothing more went upstream").isEqualTo(4);
            assertThat(first.count("POST", "/suno/submit/concat") + second.count("POST", "/suno/submit/concat")).isZero();

            gw.awaitLedger();
            assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.30"), -Usd.parse("0.30"),
                    -Usd.parse("0.30"));
            assertThat(store.balance("bob")).isEqualTo(Usd.parse("10"));
            assertThat(store.ledger("bob", "charge")).isEmpty();
        }
    }
}

package dev.antler.flux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.TaskPoller;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A task BFL no longer knows is waited out for a grace period after its submit, then ended and refunded once. */
class FluxLostTaskTest {

    @Test
    void taskNotFoundIsNoNewsAtFirstThenAFailureRefunded() throws Exception {
        ManualClock clock = ManualClock.now();
        try (FakeBfl upstream = new FakeBfl(); GatewayHarness gw = GatewayHarness.start("""
                channels: [{ name: bfl, type: flux, base_url: "%s", key: "%s" }]
                users: [{ name: alice, balance: 10, keys: [{ key: %s }] }]
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeBfl.KEY, TestUsers.key("alice")), clock)) {
            HttpResponse<String> submitted = gw.post("/flux/v1/flux-2-klein-4b", TestUsers.key("alice"),
                    "{\"prompt\":\"a moth\"}");
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            String id = Json.MAPPER.readTree(submitted.body()).path("id").asString();
            upstream.jobs.clear(); // the region lost it: its polling URL answers 404 Task not found
            TaskPoller poller = gw.gateway().tasks().poller();
            poller.pollOnce();
            StoreView store = new StoreView(gw);
            gw.awaitLedger();
            assertThat(gw.get("/flux/v1/get_result?id=" + id, TestUsers.key("alice")).body()).contains("\"Pending\"");
            assertThat(store.ledger("alice", "refund")).isEmpty();

            clock.advanceSeconds(FluxTasks.NOT_FOUND_GRACE_MS / 1000 + 1);
            poller.pollOnce();
            poller.pollOnce();
            gw.awaitLedger();
            assertThat(Json.MAPPER.readTree(gw.get("/flux/v1/get_result?id=" + id, TestUsers.key("alice")).body())
                    .path("status").asString()).isEqualTo("Error");
            assertThat(store.ledger("alice", "refund")).containsExactly(Usd.parse("0.014"));
            assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
            assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
        }
    }
}

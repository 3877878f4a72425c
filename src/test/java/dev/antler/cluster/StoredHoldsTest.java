package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.store.Database;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SimulatedPeer;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One real gateway and a peer instance simulated by its rows in the store: alone, the gateway keeps holds in
 * memory and never consults the store's; with a live peer, the peer's stored holds count against the balance;
 * once the peer stops its heartbeat, its holds are released and the gateway is alone again.
 */
class StoredHoldsTest {

    private static final String KEY = "sk-stored-holds-user-0123456789";
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":50,"messages":[{"role":"user","content":"Hello"}]}""";

    @Test
    void aPeersStoredHoldsCountOnlyWhileThePeerIsLive() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gateway = GatewayHarness.start("""
                     cluster: { heartbeat_ms: 50, instance_timeout_ms: 1000, poll_ms: 50 }
                     prices: { gpt-4o-mini: { input_per_mtok: 1000, output_per_mtok: 2000 } }
                     channels: [{ name: up, base_url: "%s", key: sk-upstream-holds-0001, models: [gpt-4o-mini] }]
                     users: [{ name: holder, balance: 1, keys: [{ key: %s }] }]
                     """.formatted(upstream.baseUrl(), KEY))) {
            upstream.always(FakeReply.ok());
            Database database = gateway.gateway().database();
            StoreView store = new StoreView(gateway);
            long userId = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM users WHERE name = 'holder'")
                    .mapTo(Long.class).one());
            assertThat(ready(gateway)).contains("\"instances\":1");
            // 0.95 USD held by a request in flight on the peer, not yet live: alone, holds are in memory only
            SimulatedPeer peer = SimulatedPeer.of(gateway).holds(userId, 950_000_000L, "peer-request");
            assertThat(chat(gateway).statusCode()).as("alone: holds in memory only").isEqualTo(200);

            peer.beat(gateway);
            HttpResponse<String> refused = chat(gateway);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("insufficient balance")
                    .contains("requests in flight on every gateway instance count");

            peer.close();
            SimulatedPeer.awaitReady(gateway, "\"instances\":1");
            assertThat(storedHolds(database)).as("the gone peer's holds are released").isZero();
            assertThat(chat(gateway).statusCode()).isEqualTo(200);

            gateway.awaitLedger();
            long balance = store.balance("holder");
            assertThat(balance).isEqualTo(store.ledgerSum("holder"));
            assertThat(balance).isPositive();
        }
    }

    @Test
    void withALivePeerEveryHoldIsStoredAndLeavesWithItsCharge() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gateway = GatewayHarness.start("""
                     cluster: { heartbeat_ms: 50, instance_timeout_ms: 60000, poll_ms: 50 }
                     prices: { gpt-4o-mini: { input_per_mtok: 1000, output_per_mtok: 2000 } }
                     channels: [{ name: up, base_url: "%s", key: sk-upstream-holds-0001, models: [gpt-4o-mini] }]
                     users: [{ name: holder, balance: 1, keys: [{ key: %s }] }]
                     """.formatted(upstream.baseUrl(), KEY))) {
            upstream.always(FakeReply.ok().delay(300));
            Database database = gateway.gateway().database();
            SimulatedPeer.of(gateway).beat(gateway).close(); // one heartbeat's row: live for instance_timeout_ms

            var answer = gateway.http().sendAsync(chatRequest(gateway), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (storedHolds(database) == 0) {
                assertThat(System.nanoTime()).as("the request's hold is stored while it is in flight")
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            gateway.awaitLedger();
            assertThat(storedHolds(database)).as("the hold left with its charge").isZero();
            StoreView store = new StoreView(gateway);
            long balance = store.balance("holder");
            assertThat(balance).isEqualTo(store.ledgerSum("holder"));
            assertThat(balance).isLessThan(1_000_000_000L);
        }
    }

    private static long storedHolds(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM cluster_holds")
                .mapTo(Long.class).one());
    }

    private static HttpRequest chatRequest(GatewayHarness gateway) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
    }

    private static HttpResponse<String> chat(GatewayHarness gateway) {
        return gateway.post("/v1/chat/completions", KEY, CHAT);
    }

    private static String ready(GatewayHarness gateway) {
        return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health/ready")).build()).body();
    }
}

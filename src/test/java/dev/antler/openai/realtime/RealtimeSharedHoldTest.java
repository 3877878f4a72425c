package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.antler.store.Database;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SimulatedPeer;
import dev.antler.testing.StoreView;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * With another gateway instance live on the store, a realtime session's hold is recorded where the instances share
 * holds, before the upstream socket opens, and stays recorded across its responses (each response's hold is the
 * same amount) until the session's closing row is written; a session whose hold the stored balance cannot cover,
 * beside the other instance's holds, is refused before any upstream socket. The peer instance is simulated by its
 * rows in the store (a heartbeat and a hold).
 */
class RealtimeSharedHoldTest {

    private static final String CREATE_TEXT = """
            {"type":"response.create","response":{"output_modalities":["text"]}}""";

    @Test
    void aSessionsHoldIsRecordedForTheOtherInstancesForItsWholeLife() throws Exception {
        try (FakeRealtime upstream = FakeRealtime.start();
             GatewayHarness gw = GatewayHarness.start("""
                     cluster: { heartbeat_ms: 50, instance_timeout_ms: 1000, poll_ms: 50 }
                     channels:
                       - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0005, models: [gpt-realtime] }
                     users:
                       - { name: shared, balance: 10, keys: [{ key: %s }] }
                       - { name: crowded, balance: 1, keys: [{ key: %s }] }
                     """.formatted(upstream.baseUrl(), key("shared"), key("crowded")))) {
            Database database = gw.gateway().database();
            StoreView store = new StoreView(gw);
            try (SimulatedPeer peer = SimulatedPeer.of(gw).beat(gw)) {
                HttpClient http = HttpClient.newHttpClient();
                String url = "ws://127.0.0.1:" + gw.port() + "/v1/realtime?model=gpt-realtime";
                try (RealtimeClient client = RealtimeClient.connect(http, url,
                        List.of("Authorization", "Bearer " + key("shared")))) {
                    assertThat(client.next().path("type").asString()).isEqualTo("session.created");
                    assertThat(heldFor(database, "shared")).as("recorded before the upstream socket opened").isOne();
                    client.send(CREATE_TEXT);
                    client.until("response.done");
                    gw.awaitLedger();
                    assertThat(store.usage("shared")).as("the response's own row").hasSize(1);
                    assertThat(heldFor(database, "shared")).as("still recorded for the next response").isOne();
                }
                store.awaitUsage("shared", 2); // the session's closing row: written with its hold's release
                assertThat(heldFor(database, "shared")).as("released with the session's closing row").isZero();

                // The peer holds 0.95 of crowded's 1 USD: a session's hold (8,192 in and 4,096 out tokens) is not covered.
                long crowded = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM users WHERE name = 'crowded'").mapTo(Long.class).one());
                peer.holds(crowded, 950_000_000L, "peer-request");
                int upgradesBefore = upstream.upgrades().size();
                Throwable refused = catchThrowable(() -> RealtimeClient.connect(http, url,
                        List.of("Authorization", "Bearer " + key("crowded"))));
                assertThat(refused).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(WebSocketHandshakeException.class);
                assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(403);
                assertThat(upstream.upgrades()).as("no upstream socket for a refused session").hasSize(upgradesBefore);
            }
            gw.awaitLedger();
            assertThat(store.balance("shared")).isEqualTo(store.ledgerSum("shared"));
            assertThat(store.balance("crowded")).isEqualTo(store.ledgerSum("crowded"));
        }
    }

    private static long heldFor(Database database, String user) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM cluster_holds c JOIN users u "
                + "ON u.id = c.user_id WHERE u.name = :name").bind("name", user).mapTo(Long.class).one());
    }
}

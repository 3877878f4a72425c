package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SmallDisk;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A realtime session while the store cannot write (its filesystem full to the last byte): the response that finished
 * is billed once the store is back, the next response is refused before it reaches the upstream, and the session
 * ends as {@code error} (503) with a {@code store_unavailable} event — not as {@code balance}: the money was there.
 * Ephemeral keys can be neither minted nor spent then: a 503 {@code store_unavailable} in OpenAI's envelope, with
 * {@code Retry-After}, and the key minted before the outage opens its session once the store is back.
 */
class RealtimeStoreOutageTest {

    private static final String CREATE = "{\"type\":\"response.create\",\"response\":{\"output_modalities\":[\"text\"]}}";
    private static final long TEXT_TURN_COST = 6_965_600L;

    @Test
    void aStoreOutageMidSessionEndsItAsAnErrorAndLosesNoCharge() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(32); FakeRealtime upstream = FakeRealtime.start();
             GatewayHarness gw = GatewayHarness.start("""
                     database: { url: "jdbc:sqlite:%s" }
                     billing: { flush_interval_ms: 20, max_unwritten_age_ms: 1500, dead_letter_reserve_bytes: 0 }
                     channels:
                       - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0003, models: [gpt-realtime] }
                     users:
                       - { name: steady, balance: 10, keys: [{ key: %s }] }
                     """.formatted(disk.path().resolve("antler.db"), upstream.baseUrl(), key("steady")))) {
            StoreView store = new StoreView(gw);
            String url = "ws://127.0.0.1:" + gw.port() + "/v1/realtime?model=gpt-realtime";
            try (RealtimeClient client = RealtimeClient.connect(HttpClient.newHttpClient(), url,
                    List.of("Authorization", "Bearer " + key("steady")))) {
                client.next();
                client.send(CREATE);
                client.until("response.done");
                store.awaitUsage("steady", 1);

                disk.fill();
                client.send(CREATE);
                client.until("response.done"); // answered while its charge waits for the store
                Thread.sleep(2_500); // past max_unwritten_age_ms
                client.send(CREATE);
                ObjectNode error = client.next();
                assertThat(error.path("type").asString()).isEqualTo("error");
                assertThat(error.path("error").path("code").asString()).isEqualTo("store_unavailable");
                assertThat(error.path("error").path("type").asString()).isEqualTo("server_error");
                assertThat(client.awaitClose()).isEqualTo(1000);
            }
            assertThat(upstream.receivedOf("response.create")).as("the third is refused before the upstream").isEqualTo(2);
            disk.free();
            gw.awaitLedger();
            List<UsageRow> rows = store.awaitUsage("steady", 3);
            assertThat(rows).extracting(UsageRow::costNanos).containsExactly(TEXT_TURN_COST, TEXT_TURN_COST, 0L);
            UsageRow session = rows.get(2);
            assertThat(session.endReason()).isEqualTo("error");
            assertThat(session.statusCode()).isEqualTo(503);
            assertThat(session.error()).contains("store: usage and charges cannot be recorded", "2 responses");
            assertThat(store.balance("steady")).isEqualTo(10_000_000_000L - 2 * TEXT_TURN_COST)
                    .isEqualTo(store.ledgerSum("steady"));
        }
    }

    @Test
    void ephemeralKeysAreRefusedWith503WhileTheStoreCannotWrite() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(32); FakeRealtime upstream = FakeRealtime.start();
             GatewayHarness gw = GatewayHarness.start("""
                     database: { url: "jdbc:sqlite:%s" }
                     channels:
                       - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0005, models: [gpt-realtime] }
                     users:
                       - { name: browser, balance: 10, keys: [{ key: %s }] }
                     """.formatted(disk.path().resolve("antler.db"), upstream.baseUrl(), key("browser")))) {
            String before = mint(gw);
            String url = "ws://127.0.0.1:" + gw.port() + "/v1/realtime?model=gpt-realtime";

            disk.fill();
            HttpResponse<String> minted = gw.post("/v1/realtime/client_secrets", key("browser"), MINT);
            Throwable spent = catchThrowable(() -> RealtimeClient.connect(HttpClient.newHttpClient(), url,
                    List.of("Authorization", "Bearer " + before)));

            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(503);
            assertThat(minted.headers().firstValue("Retry-After")).contains("5");
            ObjectNode error = (ObjectNode) Json.objectOrNull(minted.body().getBytes()).path("error");
            assertThat(error.path("type").asString()).isEqualTo("server_error");
            assertThat(error.path("code").asString()).isEqualTo("store_unavailable");
            assertThat(error.path("message").asString()).startsWith("store: the ephemeral key could not be recorded");
            assertThat(spent).isInstanceOf(CompletionException.class);
            HttpResponse<?> refused = ((WebSocketHandshakeException) spent.getCause()).getResponse();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body().toString()).contains("store_unavailable", "could not be checked");
            assertThat(upstream.upgrades()).isEmpty();

            disk.free();
            assertThat(mint(gw)).startsWith("ek_");
            try (RealtimeClient client = RealtimeClient.connect(HttpClient.newHttpClient(), url,
                    List.of("Authorization", "Bearer " + before))) {
                assertThat(client.next().path("type").asString()).isEqualTo("session.created");
            }
        }
    }

    private static final String MINT = "{\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}";

    private static String mint(GatewayHarness gw) {
        HttpResponse<String> minted = gw.post("/v1/realtime/client_secrets", key("browser"), MINT);
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        return Json.objectOrNull(minted.body().getBytes()).path("value").asString();
    }
}

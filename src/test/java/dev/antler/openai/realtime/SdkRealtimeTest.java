package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.helpers.RealtimeConnection;
import com.openai.helpers.RealtimeWebSocketOptions;
import com.openai.models.realtime.RealtimeClientEvent;
import com.openai.models.realtime.RealtimeServerEvent;
import com.openai.models.realtime.ResponseCreateEvent;
import com.openai.models.realtime.ResponseDoneEvent;
import com.openai.models.realtime.RealtimeSessionCreateRequest;
import com.openai.models.realtime.clientsecrets.ClientSecretCreateParams;
import com.openai.models.realtime.clientsecrets.ClientSecretCreateResponse;
import dev.antler.testing.SdkClients;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK's realtime client, unchanged but for its base URL and key, through the gateway. */
class SdkRealtimeTest {

    private static FakeRealtime upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeRealtime.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0002, models: [gpt-realtime] }
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("sdk", "minter")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void anEphemeralKeyMintedThroughTheSdkOpensOneSessionAndPaysAsItsKey() {
        SdkClients sdk = new SdkClients(gw);
        ClientSecretCreateResponse secret = sdk.of("minter").realtime().clientSecrets().create(
                ClientSecretCreateParams.builder().session(RealtimeSessionCreateRequest.builder()
                        .model("gpt-realtime").build()).build());
        sdk.close();
        assertThat(secret.value()).startsWith("ek_");
        assertThat(secret.expiresAt()).isGreaterThan(System.currentTimeMillis() / 1000);

        OkHttpClient http = OkHttpClient.builder().build();
        ClientOptions options = ClientOptions.builder().httpClient(http).baseUrl(gw.baseUrl() + "/v1")
                .apiKey(secret.value()).build();
        try (RealtimeConnection connection = RealtimeConnection.connect(options,
                RealtimeWebSocketOptions.builder().model("gpt-realtime").reconnect(false).build())) {
            assertThat(connection.receive().isSessionCreated()).isTrue();
            connection.send(RealtimeClientEvent.ofResponseCreate(ResponseCreateEvent.builder().build()));
            while (!connection.receive().isResponseDone()) {
                // the deltas
            }
        }
        assertThat(store.awaitUsage("minter", 2).getFirst().costNanos()).isEqualTo(6_965_600L);
        assertThatThrownBy(() -> RealtimeConnection.connect(options,
                RealtimeWebSocketOptions.builder().model("gpt-realtime").reconnect(false).build()).receive())
                .as("an ephemeral key opens one session only").isInstanceOf(RuntimeException.class);
        assertThat(store.usage("minter")).as("refused before the upgrade: no new row").hasSize(2);
        http.close();
    }

    @Test
    void theSdksRealtimeClientHoldsATextTurnBilledFromItsUsage() {
        OkHttpClient http = OkHttpClient.builder().build();
        ClientOptions options = ClientOptions.builder().httpClient(http).baseUrl(gw.baseUrl() + "/v1")
                .apiKey(key("sdk")).build();
        StringBuilder text = new StringBuilder();
        ResponseDoneEvent done;
        try (RealtimeConnection connection = RealtimeConnection.connect(options,
                RealtimeWebSocketOptions.builder().model("gpt-realtime").build())) {
            assertThat(connection.receive().isSessionCreated()).isTrue();
            connection.send(RealtimeClientEvent.ofResponseCreate(ResponseCreateEvent.builder().build()));
            while (true) {
                RealtimeServerEvent event = connection.receive();
                event.responseOutputTextDelta().ifPresent(delta -> text.append(delta.delta()));
                if (event.isResponseDone()) {
                    done = event.responseDone().orElseThrow();
                    break;
                }
            }
        }
        assertThat(text).hasToString("Hello from realtime!");
        assertThat(done.response().usage().orElseThrow().totalTokens()).contains(253L);
        List<UsageRow> rows = store.awaitUsage("sdk", 2);
        assertThat(rows.get(0).costNanos()).isEqualTo(6_965_600L);
        assertThat(rows.get(1).endReason()).as(rows.get(1).error()).isEqualTo("complete");
        assertThat(store.balance("sdk")).isEqualTo(10_000_000_000L - 6_965_600L);
        http.close();
    }
}

package dev.antler.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.antler.billing.Usd;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SdkClients;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat-format image models relays serve on {@code /v1/chat/completions} have built-in per-call prices: a key
 * calls them with no price set by the operator, and is charged that price once per call, streamed or not, whatever
 * the tokens; an upstream failure is not charged.
 */
class ChatImageModelsTest {

    private static final Map<String, String> PRICES = Map.of("gpt-4o-image", "0.04", "gpt-image-1-all", "0.04",
            "sora_image", "0.04", "flux-kontext-pro", "0.04", "flux-kontext-max", "0.08");

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;
    private static SdkClients sdk;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: relay, base_url: "%s/v1", key: sk-relay-channel-key-0001 }
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("painter", "streamer", "unlucky")));
        store = new StoreView(gw);
        sdk = new SdkClients(gw);
    }

    @AfterAll
    static void stop() {
        sdk.close();
        gw.close();
        upstream.close();
    }

    private static ChatCompletionCreateParams draw(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("draw a cyberpunk city").build();
    }

    @Test
    void eachChatImageModelIsChargedItsPerCallPrice() {
        long balance = store.balance("painter");
        long expected = 0;
        for (Map.Entry<String, String> model : PRICES.entrySet()) {
            ChatCompletion completion = sdk.of("painter").chat().completions().create(draw(model.getKey()));
            assertThat(completion.choices()).isNotEmpty();
            expected += Usd.parse(model.getValue());
            gw.awaitLedger();
            assertThat(balance - store.balance("painter")).as(model.getKey()).isEqualTo(expected);
        }
        assertThat(store.awaitUsage("painter", PRICES.size())).allSatisfy(row ->
                assertThat(row.costNanos()).isEqualTo(Usd.parse(PRICES.get(row.model()))));
        assertThat(store.balance("painter")).isEqualTo(store.ledgerSum("painter"));
    }

    @Test
    void aStreamedCallIsChargedOnceToo() {
        long balance = store.balance("streamer");
        try (StreamResponse<ChatCompletionChunk> stream = sdk.of("streamer").chat().completions()
                .createStreaming(draw("sora_image"))) {
            assertThat(stream.stream().count()).isPositive();
        }
        store.awaitUsage("streamer", 1);
        assertThat(balance - store.balance("streamer")).isEqualTo(Usd.parse("0.04"));
    }

    @Test
    void anUpstreamFailureIsNotCharged() {
        upstream.enqueue(FakeReply.error(500, "server_error", null, "boom"));
        long balance = store.balance("unlucky");
        try {
            sdk.of("unlucky").chat().completions().create(draw("gpt-4o-image"));
        } catch (RuntimeException expected) {
            // the gateway's 502
        }
        store.awaitUsage("unlucky", 1);
        assertThat(store.balance("unlucky")).isEqualTo(balance);
    }
}

package dev.antler.billing;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What relayed requests cost, exactly, and that balances, ledger and usage log agree. */
class BillingRelayTest {

    private static final long OPENING = 10_000_000_000L;
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":1000,"messages":[{"role":"user","content":"Hello, how are you?"}]}""";
    /** gpt-4o-mini hold for {@link #CHAT}: (bytes / 4 + 1) prompt tokens at 0.15 plus 1000 at 0.60 per Mtok. */
    private static final long CHAT_HOLD = (CHAT.length() / 4 + 1) * 150L + 1000 * 600L;
    /** Room for exactly five holds at once. */
    private static final long CROWD_BALANCE = 5 * CHAT_HOLD;

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-0001, groups: [default, vip],
                      models: [gpt-4o-mini, dall-e-3, tts-1] }
                groups: { vip: { multiplier: 1.5 } }
                users:
                  - { name: gold, group: vip, balance: 10, keys: [{ key: %s }] }
                  - { name: crowd, balance: %s, keys: [{ key: %s }] }
                %s""".formatted(upstream.baseUrl(), key("gold"), BigDecimal.valueOf(CROWD_BALANCE, 9).toPlainString(),
                key("crowd"), TestUsers.yaml("exact", "cached", "painter", "speaker", "guessed")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static void assertBalanceIsTheLedger(String user) {
        gw.awaitLedger();
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void promptAndCompletionTokensAtTheListPrice() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("exact"), CHAT);

        assertThat(answer.statusCode()).isEqualTo(200);
        String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
        UsageRow row = store.onlyUsage("exact");
        assertThat(row.requestId()).isEqualTo(requestId);
        assertThat(row.model()).isEqualTo("gpt-4o-mini");
        assertThat(row.upstreamModel()).isEqualTo("gpt-4o-mini");
        assertThat(row.channelId()).isEqualTo(store.channelId("main"));
        assertThat(row.promptTokens()).isEqualTo(10);
        assertThat(row.completionTokens()).isEqualTo(2);
        assertThat(row.latencyMs()).isNotNegative();
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.billedBasis()).isEqualTo("reported");
        assertThat(row.attempts()).isEqualTo(1);
        // 0.15 / 0.60 USD per Mtok: 10 prompt + 2 completion tokens = 0.0000027 USD
        assertThat(row.costNanos()).isEqualTo(2_700);
        assertThat(store.ledger("exact", "charge")).containsExactly(-2_700L);
        assertThat(store.balance("exact")).isEqualTo(OPENING - 2_700);
        assertThat(store.used("exact")).isEqualTo(2_700);
        assertBalanceIsTheLedger("exact");
        HttpResponse<String> quota = gw.get("/user/quota?key=" + key("exact"), key("exact"));
        assertThat(Json.MAPPER.readTree(quota.body()).path("total_quota").decimalValue())
                .isEqualByComparingTo("9.9999973");
    }

    @Test
    void groupMultiplierScalesTheCharge() {
        RawHttp.post(gw, "/v1/chat/completions", key("gold"), CHAT);

        assertThat(store.onlyUsage("gold").costNanos()).isEqualTo(4_050);
        assertThat(store.balance("gold")).isEqualTo(OPENING - 4_050);
        assertBalanceIsTheLedger("gold");
    }

    @Test
    void cachedPromptTokensAtTheCachedPrice() {
        upstream.enqueue(FakeReply.ok().usage(1000, 100, 800));

        RawHttp.post(gw, "/v1/chat/completions", key("cached"), CHAT);

        UsageRow row = store.onlyUsage("cached");
        assertThat(row.cachedTokens()).isEqualTo(800);
        // 200 uncached at 0.15, 800 cached at 0.075, 100 completion at 0.60 USD per Mtok
        assertThat(row.costNanos()).isEqualTo(200 * 150 + 800 * 75 + 100 * 600);
        assertBalanceIsTheLedger("cached");
    }

    @Test
    void imagesAreBilledAsReturnedNotAsRequested() {
        upstream.enqueue(FakeReply.ok().images(2));

        HttpResponse<String> answer = RawHttp.post(gw, "/v1/images/generations", key("painter"),
                "{\"model\":\"dall-e-3\",\"prompt\":\"A cute baby sea otter\",\"n\":3}");

        assertThat(Json.MAPPER.readTree(answer.body()).path("data").size()).isEqualTo(2);
        UsageRow row = store.onlyUsage("painter");
        assertThat(row.units()).isEqualTo(2);
        assertThat(row.costNanos()).isEqualTo(2 * 40_000_000L);
        assertThat(store.balance("painter")).isEqualTo(OPENING - 80_000_000L);
        assertBalanceIsTheLedger("painter");
    }

    @Test
    void speechIsBilledPerInputCharacter() {
        String input = "The quick brown fox jumped over the lazy dog.";

        RawHttp.post(gw, "/v1/audio/speech", key("speaker"),
                "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"" + input + "\"}");

        UsageRow row = store.onlyUsage("speaker");
        assertThat(row.billedBasis()).isEqualTo("request");
        assertThat(row.costNanos()).isEqualTo(input.length() * 15_000L);
        assertBalanceIsTheLedger("speaker");
    }

    @Test
    void streamWithoutUsageIsBilledByEstimate() {
        upstream.enqueue(FakeReply.ok().withoutUsage().content("The", " sea", " is", " calm", " tonight."));

        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("guessed"),
                CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""));

        assertThat(answer.body()).endsWith("data: [DONE]\n\n");
        UsageRow row = store.onlyUsage("guessed");
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.completionTokens()).isBetween(4L, 8L);
        assertThat(row.promptTokens()).isPositive();
        assertThat(row.costNanos()).isEqualTo(row.promptTokens() * 150 + row.completionTokens() * 600);
        assertBalanceIsTheLedger("guessed");
    }

    @Test
    void concurrentRequestsNeverSpendMoreThanTheBalance() throws Exception {
        long charge = 10 * 150 + 1000 * 600;
        upstream.always(FakeReply.ok().usage(10, 1000, 0).delay(300));

        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(clients.submit(() -> RawHttp.post(gw, "/v1/chat/completions", key("crowd"), CHAT)));
            }
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
        }

        long succeeded = answers.stream().filter(a -> a.statusCode() == 200).count();
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 200).toList();
        assertThat(succeeded).isBetween(1L, 5L);
        assertThat(refused).isNotEmpty().allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(403);
            assertThat(a.body()).contains("insufficient_quota");
        });
        assertThat(upstream.requests()).hasSize((int) succeeded);
        assertThat(store.awaitUsage("crowd", (int) succeeded)).hasSize((int) succeeded);
        assertThat(store.balance("crowd")).isEqualTo(CROWD_BALANCE - succeeded * charge)
                .isGreaterThanOrEqualTo(-CHAT_HOLD);
        assertBalanceIsTheLedger("crowd");
    }
}

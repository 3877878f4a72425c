package dev.antler.balance;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The balance endpoints clients poll (OpenAI dashboard and new-api shapes), before and after spending. */
class BalanceApiTest {

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels: [{ name: main, base_url: "%s", key: sk-upstream-0001, models: [gpt-4o-mini, gpt-4o] }]
                users:
                  - name: capped
                    balance: 10
                    keys:
                      - { name: ci, key: %s, spend_limit: 1, models: [gpt-4o-mini], expires_at: "2100-01-01T00:00:00Z" }
                  - name: family
                    balance: 10
                    keys:
                      - { name: ci, key: %s, spend_limit: 1 }
                      - { name: laptop, key: sk-family-second-key-0001 }
                %s""".formatted(upstream.baseUrl(), key("capped"), key("family"), TestUsers.yaml("dashboard", "fresh")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    private static JsonNode get(String path, String user) {
        HttpResponse<String> answer = gw.get(path, key(user));
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private static void spend(String user) {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key(user), CHAT);
        assertThat(answer.statusCode()).isEqualTo(200);
        store.awaitRequest(answer.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void subscriptionAndUsageOfAnUnspentAccount() {
        JsonNode subscription = get("/v1/dashboard/billing/subscription", "fresh");
        JsonNode usage = get("/dashboard/billing/usage", "fresh");

        assertThat(subscription.path("object").asString()).isEqualTo("billing_subscription");
        assertThat(subscription.path("has_payment_method").asBoolean()).isTrue();
        assertThat(subscription.path("hard_limit_usd").decimalValue()).isEqualByComparingTo("10");
        assertThat(subscription.path("soft_limit_usd").decimalValue()).isEqualByComparingTo("10");
        assertThat(subscription.path("system_hard_limit_usd").decimalValue()).isEqualByComparingTo("10");
        assertThat(subscription.path("access_until").asLong()).isZero();
        assertThat(usage.path("object").asString()).isEqualTo("list");
        assertThat(usage.path("total_usage").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void subscriptionAndUsageAfterSpending() {
        get("/v1/dashboard/billing/usage", "dashboard");
        spend("dashboard");

        JsonNode subscription = get("/v1/dashboard/billing/subscription", "dashboard");
        JsonNode usage = get("/v1/dashboard/billing/usage", "dashboard");
        JsonNode bare = get("/dashboard/billing/usage", "dashboard");

        // hard limit = balance + used: what the account was granted
        assertThat(subscription.path("hard_limit_usd").decimalValue()).isEqualByComparingTo("10");
        // total_usage is in cents: 0.0000027 USD
        assertThat(usage.path("total_usage").decimalValue()).isEqualByComparingTo("0.00027");
        assertThat(bare).isEqualTo(usage);
    }

    @Test
    void tokenUsageInQuotaUnitsForAKeyWithItsOwnLimit() {
        JsonNode before = get("/api/usage/token", "capped").path("data");
        spend("capped");
        JsonNode after = get("/api/usage/token", "capped");

        assertThat(before.path("total_granted").asLong()).isEqualTo(500_000);
        assertThat(before.path("total_used").asLong()).isZero();
        assertThat(after.path("code").asBoolean()).isTrue();
        JsonNode data = after.path("data");
        assertThat(data.path("object").asString()).isEqualTo("token_usage");
        assertThat(data.path("name").asString()).isEqualTo("ci");
        // 1 USD = 500,000 units; 2,700 nanos spent = 1.35 units
        assertThat(data.path("total_granted").asLong()).isEqualTo(500_000);
        assertThat(data.path("total_used").asLong()).isEqualTo(1);
        assertThat(data.path("total_available").asLong()).isEqualTo((1_000_000_000L - 2_700) / 2_000);
        assertThat(data.path("unlimited_quota").asBoolean()).isFalse();
        assertThat(data.path("model_limits_enabled").asBoolean()).isTrue();
        assertThat(data.path("model_limits").path("gpt-4o-mini").asBoolean()).isTrue();
        assertThat(data.path("expires_at").asLong()).isEqualTo(4_102_444_800L);
    }

    @Test
    void tokenUsageOfAnUnlimitedKey() {
        JsonNode data = get("/api/usage/token", "fresh").path("data");

        assertThat(data.path("total_granted").asLong()).isEqualTo(5_000_000);
        assertThat(data.path("unlimited_quota").asBoolean()).isTrue();
        assertThat(data.path("model_limits_enabled").asBoolean()).isFalse();
    }

    @Test
    void userQuotaInUsdWithEveryKey() {
        spend("family");
        HttpResponse<String> answer = gw.get("/user/quota?key=" + key("family"), "unused");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode quota = Json.MAPPER.readTree(answer.body());
        assertThat(quota.path("username").asString()).isEqualTo("family");
        assertThat(quota.path("request_count").asLong()).isEqualTo(1);
        assertThat(quota.path("total_quota").decimalValue()).isEqualByComparingTo("9.9999973");
        assertThat(quota.path("total_used_quota").decimalValue()).isEqualByComparingTo("0.0000027");
        JsonNode keys = quota.path("keys");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).path("name").asString()).isEqualTo("ci");
        assertThat(keys.get(0).path("remain_quota").decimalValue()).isEqualByComparingTo("0.9999973");
        assertThat(keys.get(0).path("used_quota").decimalValue()).isEqualByComparingTo("0.0000027");
        assertThat(keys.get(1).path("name").asString()).isEqualTo("laptop");
        assertThat(keys.get(1).path("remain_quota").asLong()).isEqualTo(-1);
        assertThat(keys.get(1).path("used_quota").decimalValue()).isEqualByComparingTo("0");
        assertThat(answer.body()).doesNotContain(key("family")).doesNotContain("sk-family-second-key-0001");
    }

    @Test
    void balanceEndpointsNeedAKey() {
        HttpResponse<String> subscription = gw.get("/v1/dashboard/billing/subscription", "");
        HttpResponse<String> quota = gw.get("/user/quota?key=sk-nobody-0000000000", "");

        assertThat(subscription.statusCode()).isEqualTo(401);
        assertThat(subscription.body()).contains("invalid_api_key");
        assertThat(quota.statusCode()).isEqualTo(401);
    }
}

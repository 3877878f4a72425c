package dev.antler.balance;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The balance endpoints count a request the moment it is settled, though the ledger writer has not written it yet
 * (here it flushes once a minute): a script that checks its balance right after a request sees that request.
 */
class BalanceLagTest {

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static FakeOpenAi upstream;
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                billing: { flush_interval_ms: 60000, flush_batch_size: 1000000 }
                channels: [{ name: main, base_url: "%s", key: sk-upstream-lag-0041, models: [gpt-4o-mini] }]
                users:
                  - name: scripted
                    balance: 10
                    keys:
                      - { name: ci, key: %s }
                      - { name: capped, key: sk-scripted-capped-0041, spend_limit: 1 }
                """.formatted(upstream.baseUrl(), key("scripted")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    private static JsonNode get(String path, String key) {
        HttpResponse<String> answer = gw.get(path, key);
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private static void spend(String key) {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key, CHAT);
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void everyBalanceFigureCountsARequestNotYetWritten() throws Exception {
        spend(key("scripted"));
        spend("sk-scripted-capped-0041");
        // the request answered, its settlement follows on the event loop: give it a moment, not a flush interval
        Thread.sleep(200);

        JsonNode quota = get("/user/quota?key=" + key("scripted"), "");
        JsonNode usage = get("/v1/dashboard/billing/usage", key("scripted"));
        JsonNode subscription = get("/v1/dashboard/billing/subscription", key("scripted"));
        JsonNode token = get("/api/usage/token", key("scripted")).path("data");

        // two requests of 0.0000027 USD each
        assertThat(quota.path("total_quota").decimalValue()).isEqualByComparingTo("9.9999946");
        assertThat(quota.path("total_used_quota").decimalValue()).isEqualByComparingTo("0.0000054");
        assertThat(quota.path("request_count").asLong()).isEqualTo(2);
        assertThat(quota.path("keys").findValuesAsString("name")).containsExactly("ci", "capped");
        assertThat(quota.path("keys").path(1).path("used_quota").decimalValue()).isEqualByComparingTo("0.0000027");
        assertThat(quota.path("keys").path(1).path("remain_quota").decimalValue()).isEqualByComparingTo("0.9999973");
        assertThat(usage.path("total_usage").decimalValue()).isEqualByComparingTo("0.00054");
        assertThat(subscription.path("hard_limit_usd").decimalValue()).isEqualByComparingTo("10");
        assertThat(token.path("total_used").asLong()).isEqualTo(2); // 5,400 nanos in quota units of 2,000
        assertThat(token.path("total_available").asLong()).isEqualTo(4_999_997);
        assertThat(new StoreView(gw).balance("scripted")).as("nothing written yet").isEqualTo(10_000_000_000L);
    }
}

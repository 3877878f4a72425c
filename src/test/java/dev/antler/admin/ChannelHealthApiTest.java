package dev.antler.admin;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Channel health through the admin API: auto-disable on billing and key errors with the reason shown,
 * channel tests on demand that re-enable what the gateway disabled itself, per-channel timeouts, and
 * each attempt in the usage log.
 */
class ChannelHealthApiTest {

    private static FakeOpenAi primary;
    private static FakeOpenAi spare;
    private static GatewayHarness gw;
    private static AdminClient admin;
    private static StoreView store;

    @BeforeAll
    static void start() {
        primary = FakeOpenAi.start();
        spare = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                health: { test_interval_seconds: 0 }
                channels:
                  - { name: broke, base_url: "%1$s", key: sk-broke-0001, models: [gpt-4o-mini], priority: 10 }
                  - { name: backup, base_url: "%2$s", key: sk-backup-0001, models: [gpt-4o-mini] }
                  - { name: paused, base_url: "%1$s", key: sk-paused-0001, models: [gpt-4.1], enabled: false }
                  - { name: tested, base_url: "%1$s", key: sk-tested-0001, models: [gpt-4.1-nano] }
                prices:
                  gpt-4.1: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  gpt-4.1-nano: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                users:
                %3$s""".formatted(primary.baseUrl(), spare.baseUrl(), TestUsers.yaml("quota")));
        admin = new AdminClient(gw);
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        primary.close();
        spare.close();
    }

    @BeforeEach
    void reset() {
        primary.reset();
        spare.reset();
    }

    private static JsonNode channel(String name) {
        return admin.adminJson("GET", "/api/admin/channels/" + store.channelId(name), null);
    }

    @Test
    void insufficientQuotaDisablesTheChannelFailsOverAndATestReEnablesIt() {
        primary.enqueue(FakeReply.error(429, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details."));

        HttpResponse<String> answer = admin.relayPost("/v1/chat/completions", key("quota"), """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(spare.requests()).hasSize(1);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (channel("broke").path("enabled").asBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        JsonNode broke = channel("broke");
        assertThat(broke.path("enabled").asBoolean()).isFalse();
        assertThat(broke.path("status_reason").asString())
                .isEqualTo("auto-disabled: upstream HTTP 429 insufficient_quota on POST /v1/chat/completions");
        assertThat(broke.toString()).doesNotContain("sk-broke-0001");

        gw.awaitLedger();
        JsonNode logs = admin.adminJson("GET", "/api/admin/logs?user_id=" + userId("quota"), null);
        JsonNode attempts = logs.path("data").get(0).path("attempt_log");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("channel").asString()).isEqualTo("broke");
        assertThat(attempts.get(0).path("status").asInt()).isEqualTo(429);
        assertThat(attempts.get(0).path("error").asString()).contains("insufficient_quota");
        assertThat(attempts.get(1).path("channel").asString()).isEqualTo("backup");

        JsonNode test = admin.adminJson("POST", "/api/admin/channels/" + store.channelId("broke") + "/test", null);
        assertThat(test.path("passed").asBoolean()).isTrue();
        assertThat(test.path("re_enabled").asBoolean()).isTrue();
        assertThat(test.path("channel").path("enabled").asBoolean()).isTrue();
        assertThat(test.path("channel").path("status_reason").isNull()).isTrue();
        assertThat(primary.requests()).hasSize(2);
        assertThat(primary.requests().getLast().json().path("max_tokens").asInt()).isEqualTo(1);
        assertThat(primary.requests().getLast().header("Authorization")).isEqualTo("Bearer sk-broke-0001");

        primary.reset();
        assertThat(admin.relayPost("/v1/chat/completions", key("quota"), """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""").statusCode()).isEqualTo(200);
        assertThat(primary.requests()).as("back in routing").hasSize(1);
    }

    @Test
    void aChannelTheOperatorDisabledStaysDisabledWhenItsTestPasses() {
        JsonNode test = admin.adminJson("POST", "/api/admin/channels/" + store.channelId("paused") + "/test", null);

        assertThat(test.path("passed").asBoolean()).isTrue();
        assertThat(test.path("re_enabled").asBoolean()).isFalse();
        assertThat(test.path("channel").path("enabled").asBoolean()).isFalse();
    }

    @Test
    void aTestRefusedForTheKeyDisablesTheChannel() {
        primary.enqueue(FakeReply.status(401));

        JsonNode test = admin.adminJson("POST", "/api/admin/channels/" + store.channelId("tested") + "/test", null);

        assertThat(test.path("passed").asBoolean()).isFalse();
        assertThat(test.path("status").asInt()).isEqualTo(401);
        assertThat(test.path("disabled").asBoolean()).isTrue();
        assertThat(test.path("channel").path("enabled").asBoolean()).isFalse();
        assertThat(test.path("channel").path("status_reason").asString())
                .startsWith("auto-disabled: channel test: upstream HTTP 401");
        assertThat(test.toString()).doesNotContain("sk-tested-0001");
        admin.adminJson("PATCH", "/api/admin/channels/" + store.channelId("tested"), "{\"enabled\":true}");
    }

    @Test
    void timeoutsAreSetPerChannelAndShownWithTheBreakerState() {
        long id = store.channelId("backup");
        HttpResponse<String> bad = admin.admin("PATCH", "/api/admin/channels/" + id, "{\"idle_timeout_ms\":0}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("idle_timeout_ms");

        JsonNode changed = admin.adminJson("PATCH", "/api/admin/channels/" + id,
                "{\"idle_timeout_ms\":1500,\"total_timeout_ms\":60000}");
        assertThat(changed.path("idle_timeout_ms").asLong()).isEqualTo(1500);
        assertThat(changed.path("total_timeout_ms").asLong()).isEqualTo(60_000);
        assertThat(changed.path("connect_timeout_ms").asLong()).isEqualTo(10_000);

        JsonNode shown = channel("backup");
        assertThat(shown.path("idle_timeout_ms").asLong()).isEqualTo(1500);
        assertThat(shown.path("health").path("breaker").asString()).isEqualTo("closed");

        JsonNode reset = admin.adminJson("PATCH", "/api/admin/channels/" + id, "{\"idle_timeout_ms\":null}");
        assertThat(reset.path("idle_timeout_ms").asLong()).isEqualTo(300_000);
    }

    private static long userId(String name) {
        return gw.gateway().admin().accounts().findUserByName(name).orElseThrow().id();
    }
}

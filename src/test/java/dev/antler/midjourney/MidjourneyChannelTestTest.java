package dev.antler.midjourney;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A {@code midjourney} channel is tested with midjourney-proxy's task query for no ids: free, nothing
 * submitted; a wrong {@code mj-api-secret} (401) disables the channel.
 */
class MidjourneyChannelTestTest {

    private static JsonNode test(GatewayHarness gw, String channel) {
        var answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/admin/channels/"
                        + new StoreView(gw).channelId(channel) + "/test"))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void theTestIsAFreeTaskQueryAndAWrongSecretDisablesTheChannel() throws Exception {
        try (FakeMidjourney upstream = new FakeMidjourney();
             GatewayHarness gw = GatewayHarness.start("""
                     health: { test_interval_seconds: 0 }
                     channels:
                       - { name: mj, type: midjourney, base_url: "%1$s/", key: %2$s }
                       - { name: mj-wrong, type: midjourney, base_url: "%1$s", key: mj-secret-wrong-0014 }
                     """.formatted(upstream.baseUrl(), FakeMidjourney.SECRET))) {
            JsonNode passed = test(gw, "mj");
            JsonNode refused = test(gw, "mj-wrong");

            assertThat(passed.path("testable").asBoolean()).isTrue();
            assertThat(passed.path("passed").asBoolean()).as(passed.toString()).isTrue();
            assertThat(upstream.requests).containsExactly("POST /mj/task/list-by-condition",
                    "POST /mj/task/list-by-condition");
            assertThat(upstream.submits).isEmpty();
            assertThat(refused.path("status").asInt()).isEqualTo(401);
            assertThat(refused.path("disabled").asBoolean()).isTrue();
            assertThat(new StoreView(gw).channelStatus("mj-wrong").reason())
                    .startsWith("auto-disabled: channel test: upstream HTTP 401");
        }
    }
}

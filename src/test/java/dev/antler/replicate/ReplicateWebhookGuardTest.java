package dev.antler.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With private addresses not allowed (the default outside tests), a prediction whose webhook names the gateway's own
 * network is refused by the chain before anything is held or sent.
 */
class ReplicateWebhookGuardTest {

    @Test
    void aWebhookToAPrivateAddressIsRefusedBeforeTheHold() {
        try (GatewayHarness gw = GatewayHarness.start("""
                security: { allow_private_base_urls: false }
                channels: [{ name: replicate, type: replicate, base_url: "https://93.184.215.14", key: "%s" }]
                users: [{ name: alice, balance: 10, keys: [{ key: %s }] }]
                tasks: { poll_interval_ms: 600000 }
                """.formatted(FakeReplicate.KEY, TestUsers.key("alice")))) {
            for (String hook : new String[] {"http://10.0.0.5/hook", "http://127.0.0.1:8080/admin",
                    "http://169.254.169.254/latest/meta-data"}) {
                HttpResponse<String> answer = gw.post("/replicate/v1/models/black-forest-labs/flux-schnell/predictions",
                        TestUsers.key("alice"), "{\"input\":{\"prompt\":\"x\"},\"webhook\":\"" + hook + "\"}");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
                JsonNode problem = Json.MAPPER.readTree(answer.body());
                assertThat(problem.path("detail").asString()).as(answer.body()).contains("webhook: " + hook);
            }
            StoreView store = new StoreView(gw);
            gw.awaitLedger();
            assertThat(store.ledger("alice", "charge")).isEmpty();
            assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
        }
    }
}

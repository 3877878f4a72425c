package dev.antler.flux;

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
 * With private addresses not allowed (the default outside tests), a submit whose webhook_url names the gateway's
 * own network is refused at once, before anything is held or sent, naming the field.
 */
class FluxWebhookGuardTest {

    @Test
    void aWebhookToAPrivateAddressIsRefusedBeforeTheHold() {
        try (GatewayHarness gw = GatewayHarness.start("""
                security: { allow_private_base_urls: false }
                channels: [{ name: bfl, type: flux, base_url: "https://93.184.215.14", key: "%s" }]
                users: [{ name: alice, balance: 10, keys: [{ key: %s }] }]
                tasks: { poll_interval_ms: 600000 }
                """.formatted(FakeBfl.KEY, TestUsers.key("alice")))) {
            for (String hook : new String[] {"http://10.0.0.5/hook", "http://127.0.0.1:8080/admin", "http://[::1]/x",
                    "http://169.254.169.254/latest/meta-data"}) {
                HttpResponse<String> answer = gw.post("/flux/v1/flux-2-pro", TestUsers.key("alice"),
                        "{\"prompt\":\"x\",\"webhook_url\":\"" + hook + "\"}");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
                JsonNode item = Json.MAPPER.readTree(answer.body()).path("detail").get(0);
                assertThat(item.path("loc").get(1).asString()).isEqualTo("webhook_url");
                assertThat(item.path("msg").asString()).startsWith("webhook_url: " + hook + " (expected: a public address");
            }
            StoreView store = new StoreView(gw);
            gw.awaitLedger();
            assertThat(store.ledger("alice", "charge")).isEmpty();
            assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
        }
    }
}

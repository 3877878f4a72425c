package dev.antler.flux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flux channels that cannot take a submit: one out of credit (402) is disabled with the reason and the next channel
 * serves; one busy (429) is passed over; with none left the client gets BFL's shape, uncharged.
 */
class FluxFailoverTest {

    private static final long OPENING = Usd.parse("10");
    private static final long FLUX_PRO_11 = Usd.parse("0.04");

    private FakeBfl first;
    private FakeBfl second;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        first = new FakeBfl();
        second = new FakeBfl();
        gw = GatewayHarness.start("""
                channels:
                  - { name: bfl-a, type: flux, base_url: "%s", key: "%s", priority: 10 }
                  - { name: bfl-b, type: flux, base_url: "%s", key: "%s", priority: 0 }
                users: [{ name: alice, balance: 10, keys: [{ key: %s }] }]
                tasks: { poll_interval_ms: 600000 }
                """.formatted(first.baseUrl(), FakeBfl.KEY, second.baseUrl(), FakeBfl.KEY, TestUsers.key("alice")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        first.close();
        second.close();
    }

    private HttpResponse<String> submit() {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/flux/v1/flux-pro-1.1"))
                .header("x-key", TestUsers.key("alice")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a lighthouse\"}")).build());
    }

    @Test
    void aChannelOutOfCreditIsDisabledWithTheReasonAndTheNextServes() {
        first.outOfCredit = true;
        HttpResponse<String> answer = submit();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(first.submitted).hasSize(1);
        assertThat(second.submitted).hasSize(1);
        StoreView.ChannelStatus status = store.channelStatus("bfl-a");
        assertThat(status.status()).isEqualTo("disabled");
        assertThat(status.reason()).isEqualTo(
                "auto-disabled: upstream HTTP 402 (the channel's account is out of credit) on POST /flux/v1/flux-pro-1.1");
        assertThat(store.channelStatus("bfl-b").status()).isEqualTo("active");

        assertThat(submit().statusCode()).isEqualTo(200);
        assertThat(first.submitted).as("a disabled channel is not asked again").hasSize(1);
        assertThat(second.submitted).hasSize(2);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-FLUX_PRO_11, -FLUX_PRO_11);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 2 * FLUX_PRO_11);

        String id = Json.MAPPER.readTree(answer.body()).path("id").asString();
        gw.gateway().tasks().poller().pollOnce();
        gw.gateway().tasks().poller().pollOnce();
        assertThat(gw.get("/flux/v1/get_result?id=" + id, TestUsers.key("alice")).body()).contains("\"Ready\"");
        assertThat(second.requests).contains("GET regional /eu2/v1/get_result");
        assertThat(first.requests).noneMatch(r -> r.contains("get_result"));
    }

    @Test
    void aBusyChannelIsPassedOver() {
        first.busy.set(1);
        assertThat(submit().statusCode()).isEqualTo(200);
        assertThat(first.submitted).isEmpty();
        assertThat(second.submitted).hasSize(1);
        assertThat(store.channelStatus("bfl-a").status()).isEqualTo("active");
    }

    @Test
    void withEveryChannelOutOfCreditTheClientIsToldInBflsShapeUncharged() {
        first.outOfCredit = true;
        second.outOfCredit = true;
        HttpResponse<String> answer = submit();
        assertThat(answer.statusCode()).isEqualTo(503);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("detail").asString()).startsWith("upstream: HTTP 402, the channel's account is out of credit");
        assertThat(answer.body()).doesNotContain(first.baseUrl()).doesNotContain(second.baseUrl())
                .doesNotContain("dashboard.bfl.ai").doesNotContain(FakeBfl.KEY);
        assertThat(store.channelStatus("bfl-a").status()).isEqualTo("disabled");
        assertThat(store.channelStatus("bfl-b").status()).isEqualTo("disabled");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
    }
}

package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.ConsoleClient;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.Race;
import dev.antler.testing.StoreView;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Redemption codes: created by the operator, redeemed once (a ledger row), even under a race; disabled codes pay nothing. */
class RedemptionTest {

    private static GatewayHarness gw;
    private static ConsoleClient operator;
    private static StoreView store;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("");
        operator = ConsoleClient.admin(gw);
        store = new StoreView(gw);
        for (String name : List.of("redeem-alice", "redeem-bob")) {
            operator.json("POST", "/api/admin/users",
                    "{\"name\":\"" + name + "\",\"balance\":1,\"password\":\"" + name + "-password\"}", 201);
        }
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static JsonNode codes(int count, String amount) {
        return operator.json("POST", "/api/admin/redemptions",
                "{\"count\":" + count + ",\"amount_usd\":\"" + amount + "\",\"name\":\"batch\"}", 201).path("data");
    }

    @Test
    void twoUsersRacingToRedeemOneCodeAreCreditedOnceInTotal() throws Exception {
        JsonNode created = codes(1, "2.5").get(0);
        String code = created.path("code").asString();
        ConsoleClient alice = ConsoleClient.user(gw, "redeem-alice", "redeem-alice-password");
        ConsoleClient bob = ConsoleClient.user(gw, "redeem-bob", "redeem-bob-password");
        gw.awaitLedger();
        long before = store.balance("redeem-alice") + store.balance("redeem-bob");
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        String body = "{\"code\":\"" + code + "\"}";
        Race.run(8, () -> statuses.add(alice.call("POST", "/api/user/redeem", body).statusCode()),
                () -> statuses.add(bob.call("POST", "/api/user/redeem", body).statusCode()));
        gw.awaitLedger();
        assertThat(statuses).hasSize(8);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(7);
        long after = store.balance("redeem-alice") + store.balance("redeem-bob");
        assertThat(after - before).isEqualTo(2_500_000_000L);
        for (String user : List.of("redeem-alice", "redeem-bob")) {
            assertThat(store.ledgerSum(user)).isEqualTo(store.balance(user));
        }
        long rows = gw.gateway().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM ledger WHERE reference = :ref AND amount_nanos = 2500000000")
                .bind("ref", "redeem:" + created.path("id").asLong()).mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);
        JsonNode listed = operator.json("GET", "/api/admin/redemptions?status=redeemed&limit=1000", null, 200).path("data");
        assertThat(listed.toString()).doesNotContain(code);
        JsonNode row = null;
        for (JsonNode r : listed) {
            if (r.path("id").asLong() == created.path("id").asLong()) {
                row = r;
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.path("code_hint").asString()).isEqualTo("…" + code.substring(code.length() - 4));
    }

    @Test
    void aRedeemAnswersTheCreditAndTheNewBalanceAndWritesALedgerRowNamingTheCode() {
        JsonNode created = codes(2, "0.000000001");
        ConsoleClient alice = ConsoleClient.user(gw, "redeem-alice", "redeem-alice-password");
        String code = created.get(0).path("code").asString().toLowerCase(java.util.Locale.ROOT);
        JsonNode redeemed = alice.json("POST", "/api/user/redeem", "{\"code\":\" " + code + " \"}", 200);
        assertThat(redeemed.path("credited_nano").asLong()).isEqualTo(1);
        gw.awaitLedger();
        assertThat(redeemed.path("balance_nano").asLong()).isEqualTo(store.balance("redeem-alice"));
        assertThat(store.ledgerSum("redeem-alice")).isEqualTo(store.balance("redeem-alice"));
        String reference = gw.gateway().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT reference FROM ledger WHERE kind = 'redeem' ORDER BY id DESC").mapTo(String.class).first());
        assertThat(reference).isEqualTo("redeem:" + created.get(0).path("id").asLong());
        HttpResponse<String> again = alice.call("POST", "/api/user/redeem", "{\"code\":\"" + code + "\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already redeemed");
    }

    @Test
    void aDisabledOrUnknownCodePaysNothing() {
        JsonNode created = codes(1, "3");
        long id = created.get(0).path("id").asLong();
        JsonNode disabled = operator.json("PATCH", "/api/admin/redemptions/" + id, "{\"status\":\"disabled\"}", 200);
        assertThat(disabled.path("status").asString()).isEqualTo("disabled");
        ConsoleClient bob = ConsoleClient.user(gw, "redeem-bob", "redeem-bob-password");
        gw.awaitLedger();
        long before = store.balance("redeem-bob");
        HttpResponse<String> refused = bob.call("POST", "/api/user/redeem",
                "{\"code\":\"" + created.get(0).path("code").asString() + "\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("disabled");
        assertThat(bob.call("POST", "/api/user/redeem", "{\"code\":\"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF\"}").statusCode())
                .isEqualTo(409);
        gw.awaitLedger();
        assertThat(store.balance("redeem-bob")).isEqualTo(before);
        assertThat(operator.call("POST", "/api/admin/redemptions", "{\"count\":1001,\"amount_usd\":1}").statusCode())
                .isEqualTo(400);
        assertThat(operator.call("POST", "/api/admin/redemptions", "{\"count\":1,\"amount_usd\":0}").statusCode())
                .isEqualTo(400);
    }
}

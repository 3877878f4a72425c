package dev.antler.admin;

import static dev.antler.admin.AdminClient.badRequest;
import static dev.antler.admin.AdminClient.json;
import static dev.antler.admin.AdminClient.sum;
import static dev.antler.admin.AdminClient.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKeys;
import dev.antler.testing.GatewayHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Admin authentication, users, balances, keys and groups, over real sockets against one gateway. */
class AdminAccountsApiTest {

    private static GatewayHarness gw;
    private static AdminClient client;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("");
        client = new AdminClient(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyRequestNeedsTheAdminKey() {
        HttpResponse<String> none = gw.send(HttpRequest.newBuilder(client.uri("/api/admin/users")).GET().build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).at("/error/type").asString()).isEqualTo("authentication");
        assertThat(json(none).at("/error/message").asString()).startsWith("admin key: missing (expected:");

        assertThat(gw.get("/api/admin/users", "sk-not-the-admin-key").statusCode()).isEqualTo(401);
        assertThat(gw.get("/api/admin/nowhere", "sk-not-the-admin-key").statusCode()).isEqualTo(401);
        long userId = client.createUser("not-an-admin", "0", null);
        String userKey = client.createKey(userId, "{}").get("key").asString();
        assertThat(gw.get("/api/admin/users", userKey).statusCode()).isEqualTo(401);

        assertThat(gw.send(HttpRequest.newBuilder(client.uri("/api/admin/users"))
                .header("x-api-key", GatewayHarness.ADMIN_KEY).GET().build()).statusCode()).isEqualTo(200);
        assertThat(gw.send(HttpRequest.newBuilder(client.uri("/api/admin/users"))
                .header("Authorization", GatewayHarness.ADMIN_KEY).GET().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        HttpResponse<String> missing = client.admin("GET", "/api/admin/nowhere", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).at("/error/code").asString()).isEqualTo("not_found");
        assertThat(client.admin("GET", "/api/admin/users/999999", null).statusCode()).isEqualTo(404);
        HttpResponse<String> wrong = client.admin("DELETE", "/api/admin/users", null);
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(json(wrong).at("/error/message").asString()).contains("GET", "POST");
    }

    @Test
    void openingBalanceIsCreditedThroughTheLedger() {
        HttpResponse<String> created = client.admin("POST", "/api/admin/users",
                "{\"name\":\"opening\",\"balance\":10.5}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).get("id").asLong();
        assertThat(usd(json(created), "balance")).isEqualByComparingTo("10.5");

        JsonNode user = client.adminJson("GET", "/api/admin/users/" + id, null);
        assertThat(usd(user, "balance")).isEqualByComparingTo("10.5");
        assertThat(user.get("group").asString()).isEqualTo("default");
        assertThat(user.get("status").asString()).isEqualTo("active");
        assertThat(user.get("request_count").asLong()).isZero();

        JsonNode ledger = client.adminJson("GET", "/api/admin/users/" + id + "/ledger", null).get("data");
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).get("kind").asString()).isEqualTo("opening");
        assertThat(sum(ledger)).isEqualByComparingTo(usd(user, "balance"));
        assertThat(gw.gateway().admin().accounts().ledgerSum(id)).isEqualTo(10_500_000_000L);

        assertThat(client.admin("POST", "/api/admin/users", "{\"name\":\"opening\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void topUpAndNegativeAdjustmentKeepTheLedgerEqualToTheBalance() {
        long id = client.createUser("topup", "1", null);
        String path = "/api/admin/users/" + id + "/topup";
        JsonNode topUp = client.adminJson("POST", path, "{\"amount\":\"5.000000001\",\"note\":\"invoice 42\"}");
        assertThat(topUp.get("kind").asString()).isEqualTo("topup");
        assertThat(usd(topUp, "balance")).isEqualByComparingTo("6.000000001");

        JsonNode adjust = client.adminJson("POST", path, "{\"amount\":-2.25}");
        assertThat(adjust.get("kind").asString()).isEqualTo("adjust");
        assertThat(usd(adjust, "balance")).isEqualByComparingTo("3.750000001");

        JsonNode ledger = client.adminJson("GET", "/api/admin/users/" + id + "/ledger", null).get("data");
        assertThat(ledger).extracting(row -> row.get("kind").asString()).containsExactly("adjust", "topup", "opening");
        assertThat(ledger.get(1).get("note").asString()).isEqualTo("invoice 42");
        JsonNode user = client.adminJson("GET", "/api/admin/users/" + id, null);
        assertThat(sum(ledger)).isEqualByComparingTo(usd(user, "balance")).isEqualByComparingTo("3.750000001");
        assertThat(client.adminJson("GET", "/api/admin/users/" + id + "/ledger?limit=1&offset=1", null).get("data"))
                .singleElement().satisfies(row -> assertThat(row.get("kind").asString()).isEqualTo("topup"));

        assertThat(client.admin("POST", path, "{\"amount\":0}").statusCode()).isEqualTo(400);
        assertThat(client.admin("POST", "/api/admin/users/999999/topup", "{\"amount\":1}").statusCode()).isEqualTo(404);
    }

    @Test
    void keyIsShownOnceWorksOnTheRelayAndObeysItsSettings() {
        long userId = client.createUser("keys", "10", null);
        JsonNode created = client.createKey(userId,
                "{\"name\":\"laptop\",\"spend_limit\":3,\"models\":[\"gpt-4o-mini\"]}");
        String plain = created.get("key").asString();
        long keyId = created.get("id").asLong();
        assertThat(plain).startsWith("sk-");
        assertThat(created.get("hint").asString()).isEqualTo(ApiKeys.hint(plain));
        assertThat(usd(created, "spend_limit")).isEqualByComparingTo("3");

        assertThat(client.relayGet("/v1/models", plain).statusCode()).isEqualTo(200);
        JsonNode quota = json(client.relayGet("/user/quota?key=" + plain, null));
        assertThat(quota.at("/keys/0/remain_quota").decimalValue()).isEqualByComparingTo("3");

        String keyPath = "/api/admin/keys/" + keyId;
        List<HttpResponse<String>> later = new ArrayList<>();
        later.add(client.admin("GET", "/api/admin/users/" + userId + "/keys", null));
        later.add(client.admin("GET", keyPath, null));
        later.add(client.admin("GET", "/api/admin/users/" + userId, null));
        later.add(client.admin("PATCH", keyPath, "{\"status\":\"disabled\"}"));
        assertThat(client.relayGet("/v1/models", plain).statusCode()).isEqualTo(401);
        later.add(client.admin("PATCH", keyPath,
                "{\"status\":\"active\",\"spend_limit\":null,\"expires_at\":\"2001-01-01T00:00:00Z\"}"));
        assertThat(client.relayGet("/v1/models", plain).statusCode()).isEqualTo(401);
        later.add(client.admin("PATCH", keyPath, "{\"expires_at\":null,\"name\":\"desk\"}"));
        assertThat(client.relayGet("/v1/models", plain).statusCode()).isEqualTo(200);
        assertThat(json(client.relayGet("/user/quota?key=" + plain, null)).at("/keys/0/remain_quota").asInt())
                .isEqualTo(-1);

        assertThat(later).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).doesNotContain(plain).doesNotContain(ApiKeys.hash(plain));
        });
        JsonNode key = json(later.getLast());
        assertThat(key.get("name").asString()).isEqualTo("desk");
        assertThat(key.get("status").asString()).isEqualTo("active");
        assertThat(key.get("spend_limit").isNull()).isTrue();
        assertThat(key.get("expires_at").isNull()).isTrue();
        assertThat(key.get("models")).extracting(JsonNode::asString).containsExactly("gpt-4o-mini");
    }

    @Test
    void groupsAreCreatedReplacedAndListed() {
        String body = "{\"multiplier\":0.8,\"description\":\"VIP\"}";
        assertThat(client.admin("PUT", "/api/admin/groups/vip", body).statusCode()).isEqualTo(201);
        HttpResponse<String> replaced = client.admin("PUT", "/api/admin/groups/vip", "{\"multiplier\":\"0.75\"}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json(replaced).get("description").asString()).isEqualTo("VIP");
        assertThat(client.adminJson("GET", "/api/admin/groups", null).get("data")).anySatisfy(g -> {
            assertThat(g.get("name").asString()).isEqualTo("vip");
            assertThat(g.get("multiplier").decimalValue()).isEqualByComparingTo("0.75");
        });
        long id = client.createUser("vip-user", "0", "vip");
        JsonNode patched = client.adminJson("PATCH", "/api/admin/users/" + id, "{\"group\":\"default\"}");
        assertThat(patched.get("group").asString()).isEqualTo("default");
        assertThat(client.adminJson("GET", "/api/admin/users?limit=1000", null).get("data"))
                .anySatisfy(u -> assertThat(u.get("id").asLong()).isEqualTo(id));
    }

    @Test
    void malformedBodiesAndBadFieldsAre400NamingTheField() {
        HttpResponse<String> broken = client.admin("POST", "/api/admin/users", "{\"name\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).at("/error/code").asString()).isEqualTo("invalid_json");
        assertThat(client.admin("POST", "/api/admin/users", "[1]").statusCode()).isEqualTo(400);

        assertThat(badRequest(client.admin("POST", "/api/admin/users", "{\"name\":\"bad\",\"balance\":\"ten\"}")))
                .isEqualTo("balance: \"ten\" (expected: an amount of USD from 0 to 1000000000, "
                        + "at most 9 decimal places)");
        assertThat(badRequest(client.admin("POST", "/api/admin/users", "{\"nmae\":\"bad\"}")))
                .isEqualTo("field: nmae (expected: one of balance, group, is_admin, name, password)");
        assertThat(badRequest(client.admin("POST", "/api/admin/users", "{}"))).startsWith("name: missing (expected:");
        assertThat(badRequest(client.admin("POST", "/api/admin/users", "{\"name\":\"bad\",\"group\":\"nope\"}")))
                .startsWith("group: nope (expected: an existing group");
        assertThat(badRequest(client.admin("PATCH", "/api/admin/users/abc", "{\"status\":\"active\"}")))
                .isEqualTo("id: abc (expected: a positive integer id)");
        long id = client.createUser("bad-fields", "0", null);
        String keys = "/api/admin/users/" + id + "/keys";
        assertThat(badRequest(client.admin("POST", keys, "{\"expires_at\":\"tomorrow\"}")))
                .startsWith("expires_at: \"tomorrow\" (expected: an ISO-8601 time");
        assertThat(badRequest(client.admin("POST", keys, "{\"models\":\"gpt-4o\"}")))
                .startsWith("models: \"gpt-4o\" (expected: an array of names");
        assertThat(badRequest(client.admin("PATCH", "/api/admin/users/" + id, "{\"status\":\"gone\"}")))
                .isEqualTo("status: \"gone\" (expected: active or disabled)");
        assertThat(badRequest(client.admin("POST", "/api/admin/users/" + id + "/topup", "{\"amount\":1e-10}")))
                .startsWith("amount: 1E-10 (expected: an amount of USD from -1000000000 to 1000000000");
        assertThat(badRequest(client.admin("PUT", "/api/admin/groups/g", "{\"multiplier\":-1}")))
                .startsWith("multiplier: -1 (expected: a number from 0 to 1000");
        assertThat(badRequest(client.admin("GET", "/api/admin/logs?limit=5000", null)))
                .isEqualTo("limit: 5000 (expected: an integer from 1 to 1000)");
    }
}

package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.ConsoleClient;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The self-service API with real traffic: two users make requests with their own keys; each sees only their own
 * account, usage, series and keys, pages through usage by keyset, creates keys within the limit and revokes them.
 */
class SelfServiceTest {

    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static ConsoleClient operator;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                console: { max_keys_per_user: 3 }
                channels:
                  - { name: up, base_url: "%s", key: sk-up-selfservice-0001, models: [gpt-4o-mini] }
                """.formatted(upstream.baseUrl()));
        operator = ConsoleClient.admin(gw);
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    /** A user with a password, a balance and one key made by the operator; returns the key. */
    private static String user(String name) {
        long id = operator.json("POST", "/api/admin/users",
                "{\"name\":\"" + name + "\",\"balance\":5,\"password\":\"" + name + "-password\"}", 201).path("id").asLong();
        return operator.json("POST", "/api/admin/users/" + id + "/keys", "{\"name\":\"first\"}", 201).path("key").asString();
    }

    private static void chat(String key, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            HttpResponse<String> answer = HTTP_1_1.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        gw.awaitLedger();
    }

    @Test
    void eachUserSeesOnlyTheirOwnAccountUsageAndSeries() throws Exception {
        String aliceKey = user("self-alice");
        String bobKey = user("self-bob");
        chat(aliceKey, 5);
        chat(bobKey, 2);
        store.awaitUsage("self-alice", 5);
        store.awaitUsage("self-bob", 2);
        ConsoleClient alice = ConsoleClient.user(gw, "self-alice", "self-alice-password");
        ConsoleClient bob = ConsoleClient.user(gw, "self-bob", "self-bob-password");

        JsonNode me = alice.json("GET", "/api/user/me", null, 200);
        assertThat(me.path("name").asString()).isEqualTo("self-alice");
        assertThat(me.path("balance_nano").asLong()).isEqualTo(store.balance("self-alice"));
        assertThat(new java.math.BigDecimal(me.path("balance_usd").asString()).movePointRight(9).longValueExact())
                .isEqualTo(me.path("balance_nano").asLong());
        assertThat(me.path("request_count").asLong()).isEqualTo(5);
        assertThat(me.path("used_nano").asLong()).isPositive();

        // keyset paging: pages of 2 cover all five rows, newest first, each once
        List<Long> ids = new ArrayList<>();
        String path = "/api/user/usage?limit=2";
        while (true) {
            JsonNode page = alice.json("GET", path, null, 200);
            page.path("data").forEach(row -> {
                assertThat(row.path("user_id").asLong()).isEqualTo(me.path("id").asLong());
                assertThat(row.has("channel_id")).isFalse();
                assertThat(row.has("attempt_log")).isFalse();
                ids.add(row.path("id").asLong());
            });
            if (page.path("next_cursor").isNull()) {
                break;
            }
            path = "/api/user/usage?limit=2&cursor=" + page.path("next_cursor").asText();
        }
        assertThat(ids).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(bob.json("GET", "/api/user/usage", null, 200).path("data")).hasSize(2);
        // a key filter naming another user's key finds nothing
        long bobKeyId = bob.json("GET", "/api/user/keys", null, 200).path("data").get(0).path("id").asLong();
        assertThat(alice.json("GET", "/api/user/usage?key_id=" + bobKeyId, null, 200).path("data")).isEmpty();
        assertThat(alice.json("GET", "/api/user/usage?status=error", null, 200).path("data")).isEmpty();

        JsonNode series = alice.json("GET", "/api/user/usage/series?window=hour", null, 200);
        assertThat(series.path("buckets")).hasSize(60);
        long requests = 0;
        long spend = 0;
        for (JsonNode b : series.path("buckets")) {
            requests += b.path("requests").asLong();
            spend += b.path("spend_nano").asLong();
        }
        assertThat(requests).isEqualTo(5);
        assertThat(spend).isEqualTo(me.path("used_nano").asLong());
        assertThat(alice.call("GET", "/api/user/usage/series?window=week", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aUserManagesTheirOwnKeysWithinTheLimitAndCannotTouchAnothers() throws Exception {
        user("keys-carol");
        String daveKey = user("keys-dave");
        ConsoleClient carol = ConsoleClient.user(gw, "keys-carol", "keys-carol-password");
        ConsoleClient dave = ConsoleClient.user(gw, "keys-dave", "keys-dave-password");
        JsonNode created = carol.json("POST", "/api/user/keys", "{\"name\":\"laptop\",\"models\":[\"gpt-4o-mini\"]}", 201);
        String plain = created.path("key").asString();
        assertThat(plain).startsWith("sk-");
        JsonNode listed = carol.json("GET", "/api/user/keys", null, 200);
        assertThat(listed.path("data")).hasSize(2);
        assertThat(listed.toString()).doesNotContain(plain);
        chat(plain, 1);

        long daveKeyId = dave.json("GET", "/api/user/keys", null, 200).path("data").get(0).path("id").asLong();
        HttpResponse<String> stolen = carol.call("DELETE", "/api/user/keys/" + daveKeyId, null);
        assertThat(stolen.statusCode()).isEqualTo(404);
        chat(daveKey, 1); // still works

        carol.json("POST", "/api/user/keys", "{\"name\":\"third\"}", 201);
        HttpResponse<String> fourth = carol.call("POST", "/api/user/keys", "{\"name\":\"fourth\"}");
        assertThat(fourth.statusCode()).isEqualTo(403);
        assertThat(ConsoleClient.errorType(fourth)).isEqualTo("key_limit");

        JsonNode revoked = carol.json("DELETE", "/api/user/keys/" + created.path("id").asLong(), null, 200);
        assertThat(revoked.path("status").asString()).isEqualTo("disabled");
        HttpResponse<String> refused = HTTP_1_1.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + plain).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        carol.json("POST", "/api/user/keys", "{\"name\":\"fourth\"}", 201); // a revoked key frees a place
    }

    @Test
    void aUserChangesTheirPasswordAndTheirOtherSessionsEnd() {
        user("pw-erin");
        ConsoleClient laptop = ConsoleClient.user(gw, "pw-erin", "pw-erin-password");
        ConsoleClient phone = ConsoleClient.user(gw, "pw-erin", "pw-erin-password");
        HttpResponse<String> wrong = laptop.call("POST", "/api/user/password",
                "{\"current\":\"not-it\",\"new\":\"pw-erin-password-2\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        JsonNode changed = laptop.json("POST", "/api/user/password",
                "{\"current\":\"pw-erin-password\",\"new\":\"pw-erin-password-2\"}", 200);
        assertThat(changed.path("other_sessions_ended").asInt()).isEqualTo(1);
        laptop.json("GET", "/api/user/me", null, 200);
        assertThat(phone.call("GET", "/api/user/me", null).statusCode()).isEqualTo(401);
        ConsoleClient.user(gw, "pw-erin", "pw-erin-password-2");
    }

    @Test
    void aUserListsOnlyTheirOwnTasksPagedByKey() {
        user("tasks-gil");
        user("tasks-hal");
        ConsoleClient gil = ConsoleClient.user(gw, "tasks-gil", "tasks-gil-password");
        ConsoleClient hal = ConsoleClient.user(gw, "tasks-hal", "tasks-hal-password");
        long gilId = gil.json("GET", "/api/user/me", null, 200).path("id").asLong();
        long halId = hal.json("GET", "/api/user/me", null, 200).path("id").asLong();
        dev.antler.tasks.TaskStore tasks = new dev.antler.tasks.TaskStore(gw.gateway().database());
        long now = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            for (long owner : new long[] {gilId, halId}) {
                tasks.insert(new dev.antler.tasks.Task(0, "task-" + owner + "-" + i, "midjourney", "IMAGINE", null, owner,
                        0, 1, "up-" + owner + "-" + i, dev.antler.tasks.TaskStatus.SUCCESS, "100%", null,
                        new dev.antler.tasks.Task.Charge(1000, 0, 1, "charged", "none", "settled"), null, "{}", null,
                        now, now, now, now));
            }
        }
        List<String> seen = new ArrayList<>();
        String path = "/api/user/tasks?limit=2";
        while (path != null) {
            JsonNode page = gil.json("GET", path, null, 200);
            page.path("data").forEach(t -> {
                assertThat(t.path("user_id").asLong()).isEqualTo(gilId);
                assertThat(t.has("channel_id")).isFalse();
                seen.add(t.path("id").asString());
            });
            path = page.path("next_before_id").isNull() ? null
                    : "/api/user/tasks?limit=2&before_id=" + page.path("next_before_id").asLong();
        }
        assertThat(seen).containsExactly("task-" + gilId + "-4", "task-" + gilId + "-3", "task-" + gilId + "-2",
                "task-" + gilId + "-1", "task-" + gilId + "-0");
        assertThat(hal.json("GET", "/api/user/tasks?family=midjourney&status=success", null, 200).path("data")).hasSize(5);
        assertThat(hal.json("GET", "/api/user/tasks?family=suno", null, 200).path("data")).isEmpty();
    }

    @Test
    void theAdminSeriesCountsEveryUsersRequestsWithLatency() throws Exception {
        String key = user("series-frank");
        chat(key, 3);
        store.awaitUsage("series-frank", 3);
        JsonNode series = operator.json("GET", "/api/admin/stats/series?window=day&by=user", null, 200);
        assertThat(series.path("buckets")).hasSize(24);
        JsonNode last = series.path("buckets").get(23);
        assertThat(last.path("requests").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(last.path("p50_latency_ms").isIntegralNumber()).isTrue();
        assertThat(last.path("p95_latency_ms").asLong()).isGreaterThanOrEqualTo(last.path("p50_latency_ms").asLong());
        long frankId = Json.MAPPER.readTree(ConsoleClient.user(gw, "series-frank", "series-frank-password")
                .call("GET", "/api/user/me", null).body()).path("id").asLong();
        JsonNode frank = null;
        for (JsonNode group : series.path("series")) {
            if (group.path("key").asString().equals(Long.toString(frankId))) {
                frank = group;
            }
        }
        assertThat(frank).isNotNull();
        assertThat(frank.path("buckets").get(23).path("requests").asLong()).isEqualTo(3);
        assertThat(operator.call("GET", "/api/admin/stats/series?by=colour", null).statusCode()).isEqualTo(400);
    }
}

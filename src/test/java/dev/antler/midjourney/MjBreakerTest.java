package dev.antler.midjourney;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.routing.ChannelHealth;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Midjourney channels behind the circuit breaker and failover of the relay chain: a failing channel opens its
 * breaker and is skipped; a submit the upstream cannot have taken (connect refused, 429, 503) goes to the next
 * channel within the request; a submit it answered in the protocol (code 23, queue full) is passed on as it is.
 * The primary channel has the higher priority, so it is always tried first while its breaker lets it.
 */
class MjBreakerTest {

    private static final String ALICE = MidjourneyFlowTest.ALICE;
    private static final long IMAGINE = Usd.parse("0.05");

    private FakeMidjourney primary;
    private FakeMidjourney secondary;
    private GatewayHarness gw;
    private StoreView store;

    private void start(String primaryUrl) throws Exception {
        secondary = new FakeMidjourney();
        gw = GatewayHarness.start("""
                channels:
                  - { name: primary, type: midjourney, base_url: "%s", key: %s, priority: 10 }
                  - { name: secondary, type: midjourney, base_url: "%s", key: %s, priority: 0 }
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(primaryUrl, FakeMidjourney.SECRET, secondary.baseUrl(), FakeMidjourney.SECRET, ALICE));
        store = new StoreView(gw);
    }

    private void start() throws Exception {
        primary = new FakeMidjourney();
        start(primary.baseUrl());
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (secondary != null) {
            secondary.close();
        }
    }

    private HttpResponse<String> imagine() {
        return gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"a red fox\"}");
    }

    private ChannelHealth.View health(String channel) {
        return gw.gateway().admin().registry().health().view(store.channelId(channel));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void fiveServerErrorsOpenTheBreakerAndTheNextSubmitGoesToTheSecondChannel() throws Exception {
        start();
        primary.script(5, 500, "{\"code\":9,\"description\":\"internal error\"}");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> failed = imagine();
            // A 500 may come after the upstream took the work: not sent to another channel.
            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
            assertThat(json(failed).path("code").asInt()).isEqualTo(9);
        }
        assertThat(secondary.submits).isEmpty();
        assertThat(health("primary").state()).isEqualTo("open");

        JsonNode answer = json(imagine());
        assertThat(answer.path("code").asInt()).as(answer.toString()).isEqualTo(1);
        assertThat(primary.submits).as("an open breaker keeps the submit away").hasSize(5);
        assertThat(secondary.submits).hasSize(1);

        List<UsageRow> rows = store.awaitUsage("alice", 6);
        assertThat(rows).extracting(UsageRow::costNanos).containsExactly(0L, 0L, 0L, 0L, 0L, IMAGINE);
        assertThat(rows.getLast().channelId()).isEqualTo(store.channelId("secondary"));
        assertThat(rows.getLast().attempts()).isEqualTo(1);
        assertThat(store.ledger("alice", "charge")).containsExactly(-IMAGINE);
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - IMAGINE).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void serviceUnavailableFailsOverWithinTheRequestUntilTheBreakerSkipsTheChannel() throws Exception {
        start();
        primary.script(5, 503, "service unavailable");
        for (int i = 0; i < 6; i++) {
            JsonNode answer = json(imagine());
            assertThat(answer.path("code").asInt()).as(answer.toString()).isEqualTo(1);
        }
        assertThat(primary.submits).hasSize(5);
        assertThat(secondary.submits).hasSize(6);
        assertThat(health("primary").state()).isEqualTo("open");

        List<UsageRow> rows = store.awaitUsage("alice", 6);
        assertThat(rows).extracting(UsageRow::attempts).containsExactly(2, 2, 2, 2, 2, 1);
        assertThat(rows).extracting(UsageRow::channelId).containsOnly(store.channelId("secondary"));
        assertThat(store.ledger("alice", "charge")).hasSize(6).containsOnly(-IMAGINE);
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - 6 * IMAGINE).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void aRefusedConnectionFailsOverAndFiveOfThemOpenTheBreaker() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        start("http://127.0.0.1:" + dead);
        for (int i = 0; i < 6; i++) {
            JsonNode answer = json(imagine());
            assertThat(answer.path("code").asInt()).as(answer.toString()).isEqualTo(1);
        }
        assertThat(health("primary").state()).isEqualTo("open");
        List<UsageRow> rows = store.awaitUsage("alice", 6);
        assertThat(rows).extracting(UsageRow::attempts).containsExactly(2, 2, 2, 2, 2, 1);
        assertThat(store.attemptLogs("alice").getFirst()).contains("connection refused");
        assertThat(store.ledger("alice", "charge")).hasSize(6);
    }

    @Test
    void aRateLimitedSubmitGoesToTheSecondChannelAndIsChargedOnce() throws Exception {
        start();
        primary.script(1, 429, "{\"code\":30,\"description\":\"busy\"}");
        JsonNode answer = json(imagine());
        assertThat(answer.path("code").asInt()).as(answer.toString()).isEqualTo(1);
        String id = answer.path("result").asString();
        assertThat(primary.submits).hasSize(1);
        assertThat(secondary.submits).hasSize(1);
        assertThat(gw.gateway().tasks().store().find(id).orElseThrow().channelId())
                .as("the task follows the channel that took it").isEqualTo(store.channelId("secondary"));

        UsageRow row = store.onlyUsage("alice");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.costNanos()).isEqualTo(IMAGINE);
        assertThat(store.ledger("alice", "charge")).containsExactly(-IMAGINE);
    }

    @Test
    void aFullQueueIsPassedOnUnchargedAndNotTriedElsewhere() throws Exception {
        start();
        primary.script(1, 200, "{\"code\":23,\"description\":\"队列已满，请稍后尝试\",\"result\":null,"
                + "\"properties\":{\"numberOfQueues\":10}}");
        HttpResponse<String> full = imagine();
        assertThat(full.statusCode()).isEqualTo(200);
        JsonNode answer = json(full);
        assertThat(answer.path("code").asInt()).isEqualTo(23);
        assertThat(answer.path("description").asString()).isEqualTo("队列已满，请稍后尝试");
        assertThat(answer.path("result").isNull()).isTrue();
        assertThat(answer.path("properties").path("numberOfQueues").asInt()).isEqualTo(10);
        assertThat(secondary.submits).as("the upstream answered: no other channel").isEmpty();
        assertThat(health("primary").state()).isEqualTo("closed");

        UsageRow row = store.onlyUsage("alice");
        assertThat(row.costNanos()).isZero();
        assertThat(row.error()).startsWith("code 23");
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
    }

    @Test
    void withEveryBreakerOpenASubmitIsA503WithRetryAfterAndSentNowhere() throws Exception {
        start();
        primary.script(5, 500, "{}");
        secondary.script(5, 500, "{}");
        for (int i = 0; i < 5; i++) {
            assertThat(imagine().statusCode()).isEqualTo(502);
        }
        // The secondary's five: the primary is open after its fifth failure, so the next go to the secondary.
        for (int i = 0; i < 5; i++) {
            assertThat(imagine().statusCode()).isEqualTo(502);
        }
        HttpResponse<String> refused = imagine();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(json(refused).path("code").asInt()).isEqualTo(9);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(primary.submits).hasSize(5);
        assertThat(secondary.submits).hasSize(5);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
    }
}

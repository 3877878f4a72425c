package dev.antler.minimax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * MiniMax's status codes on a submit, over real sockets with two channels ({@code first} preferred): a rate limit
 * or an unknown error goes to the next channel; a refused key or a spent balance disables the channel, with the
 * reason, and goes to the next; sensitive or invalid input is the client's answer in MiniMax's shape, uncharged,
 * and no other channel is asked. V1 says all this with HTTP 200 and {@code base_resp}; V2 with real statuses.
 */
class MiniMaxErrorCodesTest {

    private static final String V1_BODY = "{\"model\":\"MiniMax-Hailuo-2.3\",\"prompt\":\"a heron\"}";
    private static final String V2_BODY = "{\"model\":\"MiniMax-H3\",\"content\":[{\"type\":\"text\",\"text\":\"a heron\"}]}";

    private FakeMiniMax first;
    private FakeMiniMax second;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        first = new FakeMiniMax("31111");
        second = new FakeMiniMax("32222");
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        first.close();
        second.close();
    }

    private void startGateway(boolean both) {
        if (gw != null) {
            gw.close();
        }
        gw = GatewayHarness.start("""
                channels:
                  - { name: first, type: minimax, base_url: "%s", key: "%s", priority: 10 }
                %s
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(first.baseUrl(), FakeMiniMax.KEY, both ? "  - { name: second, type: minimax, base_url: \""
                + second.baseUrl() + "\", key: \"" + FakeMiniMax.KEY + "\", priority: 0 }" : "",
                TestUsers.key("alice")));
        store = new StoreView(gw);
    }

    private HttpResponse<String> submit(MiniMaxApi api) {
        return gw.post("/minimax/" + api.mode + "/video_generation", TestUsers.key("alice"),
                api == MiniMaxApi.V1 ? V1_BODY : V2_BODY);
    }

    private String status(String channel) {
        long deadline = System.currentTimeMillis() + 5_000;
        String status = store.channelStatus(channel).status();
        while (status.equals("active") && System.currentTimeMillis() < deadline) {
            pause();
            status = store.channelStatus(channel).status();
        }
        return status;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The submit went to the second channel after the first answered {@code code}: one task, one charge. */
    private void servedBySecond(MiniMaxApi api, int code) {
        first.submitCodes.add(code);
        HttpResponse<String> answer = submit(api);
        assertThat(answer.statusCode()).as(code + ": " + answer.body()).isEqualTo(200);
        assertThat(first.submits()).isEqualTo(1);
        assertThat(second.submits()).isEqualTo(1);
        String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
        assertThat(gw.gateway().tasks().store().find(id).orElseThrow().channelId()).isEqualTo(store.channelId("second"));
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).hasSize(1);
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void aRateLimitOrAnUnknownErrorGoesToTheNextChannelWhichStaysEnabled() {
        for (MiniMaxApi api : MiniMaxApi.values()) {
            for (int code : new int[] {1002, 1000}) {
                startGateway(true);
                first.requests.clear();
                second.requests.clear();
                servedBySecond(api, code);
                assertThat(store.channelStatus("first").status()).isEqualTo("active");
            }
        }
    }

    @Test
    void aRefusedKeyOrASpentBalanceDisablesTheChannelWithTheReasonAndGoesToTheNext() {
        for (MiniMaxApi api : MiniMaxApi.values()) {
            for (int code : new int[] {1004, 2049, 1008}) {
                startGateway(true);
                first.requests.clear();
                second.requests.clear();
                servedBySecond(api, code);
                assertThat(status("first")).as(api + " " + code).isEqualTo("disabled");
                assertThat(store.channelStatus("first").reason()).startsWith("auto-disabled: ")
                        .contains(api == MiniMaxApi.V2 ? (code == 1008 ? "402" : "401") : "MiniMax code " + code);
                assertThat(store.channelStatus("second").status()).isEqualTo("active");
                HttpResponse<String> next = submit(api);
                assertThat(next.statusCode()).isEqualTo(200);
                assertThat(first.submits()).as("a disabled channel is not asked again").isEqualTo(1);
            }
        }
    }

    @Test
    void sensitiveOrInvalidInputIsTheClientsAnswerUnchargedAndNoOtherChannelIsAsked() {
        startGateway(true);
        int[][] cases = {{1026, 422}, {1027, 422}, {2013, 400}};
        for (MiniMaxApi api : MiniMaxApi.values()) {
            for (int[] c : cases) {
                first.submitCodes.add(c[0]);
                HttpResponse<String> answer = submit(api);
                assertThat(answer.statusCode()).as(api + " " + c[0] + ": " + answer.body()).isEqualTo(c[1]);
                JsonNode root = Json.MAPPER.readTree(answer.body());
                if (api == MiniMaxApi.V1) {
                    assertThat(root.path("base_resp").path("status_code").asInt()).isEqualTo(c[0]);
                    assertThat(root.path("base_resp").path("status_msg").asString())
                            .isEqualTo(FakeMiniMax.message(c[0]));
                } else {
                    assertThat(root.path("error").path("type").asString()).isEqualTo(c[1] == 422
                            ? "unprocessable_entity_error" : "bad_request_error");
                    assertThat(root.path("error").path("message").asString())
                            .isEqualTo(FakeMiniMax.message(c[0]) + " (" + c[0] + ")");
                }
            }
        }
        gw.awaitLedger();
        assertThat(second.submits()).isZero();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
        assertThat(store.channelStatus("first").status()).isEqualTo("active");
    }

    @Test
    void withNoOtherChannelARateLimitIsA429InMiniMaxsShapeAndNothingIsCharged() {
        startGateway(false);
        first.submitCodes.add(1002);
        HttpResponse<String> v1 = submit(MiniMaxApi.V1);
        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(429);
        assertThat(Json.MAPPER.readTree(v1.body()).path("base_resp").path("status_code").asInt()).isEqualTo(1002);
        first.submitCodes.add(1002);
        HttpResponse<String> v2 = submit(MiniMaxApi.V2);
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(429);
        JsonNode error = Json.MAPPER.readTree(v2.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
        assertThat(error.path("message").asString()).endsWith("(1002)");
        assertThat(v1.body() + v2.body()).doesNotContain(first.baseUrl()).doesNotContain(FakeMiniMax.KEY);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
    }
}

package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI Realtime through the gateway over real sockets: relayed, billed per response.done, ended for a reason. */
class RealtimeFlowTest {

    private static final String CHANNEL_KEY = "sk-upstream-realtime-key-0001";
    private static final String CREATE_TEXT = """
            {"type":"response.create","response":{"output_modalities":["text"]}}""";
    /** {@link FakeRealtime#USAGE} at gpt-realtime's prices (nanos per token = USD per Mtok * 1000). */
    private static final long TEXT_TURN_COST = (119 - 64) * 4_000L + 64 * 400L + 30 * 16_000L
            + 13 * 32_000L + 91 * 64_000L;
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private static FakeRealtime upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeRealtime.start();
        gw = GatewayHarness.start("""
                channels:
                  - name: main
                    base_url: "%s/v1"
                    key: %s
                    models: [gpt-realtime, gpt-4o-realtime-preview, gpt-4o-mini-realtime-preview]
                    model_mapping: { gpt-realtime: gpt-realtime-2025-08-28 }
                  - { name: dead, base_url: "%s", key: sk-dead-0001, models: [gpt-4o-realtime-preview], priority: 10 }
                  - { name: quiet, base_url: "%s", key: %s, models: [gpt-4o-mini-realtime-preview], priority: 10,
                      idle_timeout_ms: 1500, connect_timeout_ms: 100 }
                users:
                %s""".formatted(upstream.baseUrl(), CHANNEL_KEY, FakeOpenAi.refusingUrl(), upstream.baseUrl(),
                CHANNEL_KEY, TestUsers.yaml("talker", "browser", "refused", "cut", "failover", "idle", "leaver",
                        "ephemeral", "slow", "speaker", "hasty"))
                + "  - { name: thin, balance: 0.53, keys: [{ key: " + key("thin") + " }] }\n"
                + "  - { name: capped, balance: 10, daily_spend_limit: 0.53, keys: [{ key: " + key("capped") + " }] }\n"
                + "  - { name: padded, balance: 10, daily_spend_limit: 0.53, keys: [{ key: " + key("padded") + " }] }\n"
                + "  - { name: voiced, balance: 10, daily_spend_limit: 0.53, keys: [{ key: " + key("voiced") + " }] }\n"
                + "  - { name: crowd, balance: 100, keys: [{ key: " + key("crowd") + " }] }\n"
                + "  - { name: paced, balance: 10, keys: [{ key: " + key("paced") + ", rpm_limit: 2 }] }\n");
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static String url(String model) {
        return "ws://127.0.0.1:" + gw.port() + "/v1/realtime?model=" + model;
    }

    private static RealtimeClient open(String user, String model) {
        return RealtimeClient.connect(HTTP, url(model),
                List.of("Authorization", "Bearer " + key(user), "OpenAI-Beta", "realtime=v1"));
    }

    @Test
    void aTextTurnIsRelayedAndBilledExactlyFromItsUsage() {
        List<String> eventIds = new java.util.ArrayList<>();
        try (RealtimeClient client = open("talker", "gpt-realtime")) {
            ObjectNode created = client.next();
            assertThat(created.path("type").asString()).isEqualTo("session.created");
            client.send("""
                    {"type":"session.update","event_id":"event_client_update_7","session":{"type":"realtime",\
                    "instructions":"Be brief."}}""");
            ObjectNode updated = client.next();
            assertThat(updated.path("type").asString()).isEqualTo("session.updated");
            assertThat(updated.path("session").path("instructions").asString()).isEqualTo("Be brief.");
            client.send(CREATE_TEXT);
            List<ObjectNode> events = client.until("response.done");
            assertThat(events.stream().filter(e -> e.path("type").asString().equals("response.output_text.delta"))
                    .map(e -> e.path("delta").asString()).reduce("", String::concat)).isEqualTo("Hello from realtime!");
            assertThat(events.getLast().path("response").path("usage").path("total_tokens").asInt()).isEqualTo(253);
            eventIds.add(created.path("event_id").asString());
            eventIds.add(updated.path("event_id").asString());
            events.forEach(e -> eventIds.add(e.path("event_id").asString()));
        }
        assertThat(eventIds).as("the upstream's event ids, unchanged and in order").isEqualTo(upstream.sentEventIds());
        assertThat(upstream.received().getFirst()).as("the client's event id, unchanged")
                .contains("\"event_id\":\"event_client_update_7\"");

        FakeRealtime.Upgrade sent = upstream.upgrades().getFirst();
        assertThat(sent.uri()).isEqualTo("/v1/realtime?model=gpt-realtime-2025-08-28");
        assertThat(sent.headers().get("Authorization")).isEqualTo("Bearer " + CHANNEL_KEY);
        assertThat(sent.headers().get("OpenAI-Beta")).isEqualTo("realtime=v1");
        assertThat(sent.headers().entries().toString() + upstream.received()).doesNotContain(key("talker"));

        List<UsageRow> rows = store.awaitUsage("talker", 2);
        UsageRow response = rows.get(0);
        assertThat(response.endpoint()).isEqualTo("realtime");
        assertThat(response.model()).isEqualTo("gpt-realtime");
        assertThat(response.upstreamModel()).isEqualTo("gpt-realtime-2025-08-28");
        assertThat(response.promptTokens()).isEqualTo(132);
        assertThat(response.completionTokens()).isEqualTo(121);
        assertThat(response.cachedTokens()).isEqualTo(64);
        assertThat(response.costNanos()).isEqualTo(TEXT_TURN_COST).isEqualTo(6_965_600);
        assertThat(response.billedBasis()).isEqualTo("reported");
        assertThat(response.requestId()).isEqualTo(rows.get(1).requestId() + ".1");
        UsageRow session = rows.get(1);
        assertThat(session.endReason()).isEqualTo("complete");
        assertThat(session.costNanos()).isZero();
        assertThat(session.promptTokens()).isZero();
        assertThat(session.error()).contains("1 responses", "132 input tokens");
        assertThat(store.ledger("talker", "charge")).containsExactly(-TEXT_TURN_COST);
        assertThat(store.balance("talker")).isEqualTo(10_000_000_000L - TEXT_TURN_COST)
                .isEqualTo(store.ledgerSum("talker"));
    }

    @Test
    void anAudioTurnIsBilledAtTheAudioPrices() {
        upstream.usage = """
                {"total_tokens":1300,"input_tokens":1000,"output_tokens":300,
                 "input_token_details":{"text_tokens":200,"audio_tokens":800,"cached_tokens":500},
                 "output_token_details":{"text_tokens":50,"audio_tokens":250}}""";
        try (RealtimeClient client = open("speaker", "gpt-4o-mini-realtime-preview")) {
            client.next();
            client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"UklGRiQAAABXQVZF\"}");
            client.send("{\"type\":\"response.create\",\"response\":{\"output_modalities\":[\"audio\"]}}");
            assertThat(client.until("response.done")).extracting(e -> e.path("type").asString())
                    .contains("response.output_audio.delta");
        }
        // gpt-4o-mini-realtime-preview: text 0.60 / 2.40 / cached 0.30, audio 10.00 / 20.00 / cached 0.30 USD per Mtok;
        // without cached_tokens_details the 500 cached tokens are the 200 text ones, then 300 audio ones.
        long expected = 200 * 300L + 50 * 2_400L + 500 * 10_000L + 300 * 300L + 250 * 20_000L;
        UsageRow row = store.awaitUsage("speaker", 2).getFirst();
        assertThat(row.costNanos()).isEqualTo(expected);
        assertThat(upstream.appends()).isEqualTo(1);
    }

    @Test
    void aClientSendingFasterThanTheUpstreamReadsIsHeldBack() throws Exception {
        upstream.stalled = true;
        String chunk = "A".repeat(1 << 20);
        String append = "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + chunk + "\"}";
        int total = 200;
        try (RealtimeClient client = open("slow", "gpt-realtime")) {
            client.next();
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < total; i++) {
                    client.send(append);
                }
            });
            Thread.sleep(1_500);
            int sentWhileStalled = client.sent();
            assertThat(sentWhileStalled).as("sends stall once the buffers on the way are full").isLessThan(total);
            upstream.unstall();
            sender.join(30_000);
            assertThat(client.sent()).isEqualTo(total);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (upstream.appends() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(upstream.appends()).isEqualTo(total);
    }

    @Test
    void aBrowserAuthenticatesWithTheKeySubprotocolAndGetsTheRealtimeProtocolBack() {
        try (RealtimeClient client = RealtimeClient.connect(HTTP, url("gpt-realtime"), List.of(),
                "realtime", "openai-insecure-api-key." + key("browser"), "openai-beta.realtime-v1")) {
            assertThat(client.subprotocol()).isEqualTo("realtime");
            assertThat(client.next().path("type").asString()).isEqualTo("session.created");
        }
        FakeRealtime.Upgrade sent = upstream.upgrades().getFirst();
        assertThat(sent.headers().get("Authorization")).isEqualTo("Bearer " + CHANNEL_KEY);
        assertThat(sent.headers().get("OpenAI-Beta")).isEqualTo("realtime=v1");
        assertThat(sent.headers().entries().toString()).doesNotContain(key("browser"));
    }

    @Test
    void badKeysWrongRequestsAndUnservedModelsAreRefusedBeforeTheUpgrade() {
        assertThat(refusal(List.of("Authorization", "Bearer sk-nobody-0001"), "gpt-realtime")).isEqualTo(401);
        assertThat(refusal(List.of(), "gpt-realtime")).isEqualTo(401);
        assertThat(refusal(List.of("Authorization", "Bearer " + key("refused")), "gpt-4o")).isEqualTo(404);
        assertThat(refusal(List.of("Authorization", "Bearer " + key("refused")), "")).isEqualTo(400);
        HttpResponse<String> plain = gw.get("/v1/realtime?model=gpt-realtime", key("refused"));
        assertThat(plain.statusCode()).isEqualTo(426);
        assertThat(plain.body()).contains("\"type\":\"invalid_request_error\"", "upgrade_required");
        assertThat(upstream.upgrades()).isEmpty();
        assertThat(store.usage("refused")).isEmpty();
        assertThat(store.balance("refused")).isEqualTo(10_000_000_000L);
    }

    private static int refusal(List<String> headers, String model) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> RealtimeClient.connect(HTTP, url(model), headers));
        assertThat(thrown).isInstanceOf(CompletionException.class);
        assertThat(thrown.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        HttpResponse<?> response = ((WebSocketHandshakeException) thrown.getCause()).getResponse();
        return response.statusCode();
    }

    @Test
    void aSessionThatRunsTheBalanceOutIsClosedWithAnErrorEvent() {
        try (RealtimeClient client = open("thin", "gpt-realtime")) {
            client.next();
            client.send(CREATE_TEXT);
            client.until("response.done");
            ObjectNode error = client.next();
            assertThat(error.path("type").asString()).isEqualTo("error");
            assertThat(error.path("error").path("code").asString()).isEqualTo("insufficient_quota");
            assertThat(error.path("error").path("type").asString()).isEqualTo("insufficient_quota");
            assertThat(client.awaitClose()).isEqualTo(1000);
        }
        List<UsageRow> rows = store.awaitUsage("thin", 2);
        assertThat(rows.get(0).costNanos()).isEqualTo(TEXT_TURN_COST);
        assertThat(rows.get(1).endReason()).isEqualTo("balance");
        assertThat(store.balance("thin")).isEqualTo(530_000_000L - TEXT_TURN_COST).isEqualTo(store.ledgerSum("thin"));
    }

    /** One response's hold at gpt-realtime's prices: 8,192 input and 4,096 output tokens at the audio rates. */
    private static final long HOLD = 8_192 * 32_000L + 4_096 * 64_000L;

    @Test
    void theDailySpendCapIsCheckedBeforeEveryResponseCreate() {
        // The cap (0.53 USD) admits the session and its first response (held for 0.524288 USD), but not a second
        // one once the first spent 0.0069656 USD: spent + hold is then past the cap.
        try (RealtimeClient client = open("capped", "gpt-realtime")) {
            client.next();
            client.send(CREATE_TEXT);
            client.until("response.done");
            client.send(CREATE_TEXT);
            ObjectNode error = client.next();
            assertThat(error.path("type").asString()).isEqualTo("error");
            assertThat(error.path("error").path("code").asString()).isEqualTo("daily_spend_limit_reached");
            assertThat(error.path("error").path("message").asString()).contains(
                    "0.0069656 USD spent or held today", "needs up to 0.524288 USD");
            assertThat(client.awaitClose()).isEqualTo(1000);
        }
        assertThat(upstream.receivedOf("response.create")).as("the refused response.create is not relayed").isOne();
        List<UsageRow> rows = store.awaitUsage("capped", 2);
        assertThat(rows.get(0).costNanos()).isEqualTo(TEXT_TURN_COST);
        assertThat(rows.get(1).endReason()).isEqualTo("balance");
        assertThat(rows.get(1).error()).contains("daily spend");
        assertThat(store.balance("capped")).isEqualTo(10_000_000_000L - TEXT_TURN_COST)
                .isEqualTo(store.ledgerSum("capped"));
        assertThat(HOLD + TEXT_TURN_COST).isGreaterThan(530_000_000L).isGreaterThan(HOLD);
    }

    @Test
    void aResponseCreateTooLongToReadIsCheckedWhenTheUpstreamStartsIt() {
        upstream.doneDelayMs = 2_000;
        try (RealtimeClient client = open("padded", "gpt-realtime")) {
            client.next();
            client.send(CREATE_TEXT);
            client.until("response.done");
            client.send("{\"type\":\"response.create\",\"response\":{\"instructions\":\""
                    + " ".repeat(EventScanner.CLIENT_LIMIT) + "\"}}");
            assertThat(client.until("response.done").getLast().path("response").path("status").asString())
                    .isEqualTo("cancelled");
            assertThat(client.next().path("error").path("code").asString()).isEqualTo("daily_spend_limit_reached");
            assertThat(client.awaitClose()).isEqualTo(1000);
        }
        assertThat(upstream.receivedOf("response.create")).isEqualTo(2);
        assertThat(upstream.cancels()).isOne();
        assertThat(store.awaitUsage("padded", 3).get(2).endReason()).isEqualTo("balance");
    }

    @Test
    void aKeysRequestRateRefusesOneResponseAndTheSessionGoesOn() {
        // rpm_limit 2: the session's opening counts one request and each response.create one more.
        try (RealtimeClient client = open("paced", "gpt-realtime")) {
            client.next();
            client.send(CREATE_TEXT);
            client.until("response.done");
            client.send(CREATE_TEXT);
            ObjectNode error = client.next();
            assertThat(error.path("error").path("code").asString()).isEqualTo("rate_limit_exceeded");
            assertThat(error.path("error").path("type").asString()).isEqualTo("rate_limit_error");
            client.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"instructions\":\"x\"}}");
            assertThat(client.next().path("type").asString()).as("the session goes on").isEqualTo("session.updated");
        }
        assertThat(upstream.receivedOf("response.create")).isOne();
        List<UsageRow> rows = store.awaitUsage("paced", 2);
        assertThat(rows.get(1).endReason()).isEqualTo("complete");
        assertThat(store.balance("paced")).isEqualTo(10_000_000_000L - TEXT_TURN_COST);
    }

    @Test
    void aResponseTheUpstreamStartsOnItsOwnIsCheckedToo() {
        // Server voice activity detection: the upstream answers each utterance without a response.create. The
        // second one is past the daily cap: cancelled upstream, billed on what its response.done reports, and the
        // session ends.
        upstream.doneDelayMs = 2_000;
        try (RealtimeClient client = open("voiced", "gpt-realtime")) {
            client.next();
            client.send("""
                    {"type":"session.update","session":{"type":"realtime","audio":{"input":\
                    {"turn_detection":{"type":"server_vad"}}}}}""");
            client.until("session.updated");
            client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"UklGRiQAAABXQVZF\"}");
            assertThat(client.until("response.done").getLast().path("response").path("status").asString())
                    .isEqualTo("completed");
            client.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"UklGRiQAAABXQVZF\"}");
            List<ObjectNode> second = client.until("response.done");
            assertThat(second.getLast().path("response").path("status").asString()).isEqualTo("cancelled");
            ObjectNode error = client.next();
            assertThat(error.path("error").path("code").asString()).isEqualTo("daily_spend_limit_reached");
            assertThat(client.awaitClose()).isEqualTo(1000);
        }
        assertThat(upstream.receivedOf("response.create")).isZero();
        assertThat(upstream.cancels()).isEqualTo(1);
        List<UsageRow> rows = store.awaitUsage("voiced", 3);
        assertThat(rows).extracting(UsageRow::costNanos).containsExactly(TEXT_TURN_COST, TEXT_TURN_COST, 0L);
        assertThat(rows.get(2).endReason()).isEqualTo("balance");
        assertThat(store.balance("voiced")).isEqualTo(10_000_000_000L - 2 * TEXT_TURN_COST)
                .isEqualTo(store.ledgerSum("voiced"));
    }

    @Test
    void moreSessionsThanAWebSocketClientsDefaultPoolOpenAtOnce() throws Exception {
        // Vert.x's WebSocket client allows 50 connections per host unless told otherwise; a gateway in front of
        // one provider host must not queue its 51st session.
        int sessions = 60;
        List<RealtimeClient> clients = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try {
            dev.antler.testing.Race.run(sessions, () -> {
                RealtimeClient client = open("crowd", "gpt-realtime");
                clients.add(client);
                assertThat(client.next().path("type").asString()).isEqualTo("session.created");
            });
            assertThat(clients).hasSize(sessions);
            assertThat(upstream.upgrades()).hasSize(sessions);
        } finally {
            clients.forEach(RealtimeClient::close);
        }
        assertThat(store.awaitUsage("crowd", sessions)).allSatisfy(row -> assertThat(row.endReason())
                .isEqualTo("complete"));
    }

    @Test
    void anUpstreamCutMidResponseEndsTheSessionAsUpstreamCut() {
        upstream.cutMidResponse = true;
        try (RealtimeClient client = open("cut", "gpt-realtime")) {
            client.next();
            client.send(CREATE_TEXT);
            List<ObjectNode> events = client.until("error");
            assertThat(events).extracting(e -> e.path("type").asString()).doesNotContain("response.done");
            assertThat(events.getLast().path("error").path("code").asString()).isEqualTo("upstream_cut");
            client.awaitClose();
        }
        List<UsageRow> rows = store.awaitUsage("cut", 1);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.endReason()).isEqualTo("upstream_cut");
            assertThat(row.costNanos()).isZero();
        });
        assertThat(store.balance("cut")).isEqualTo(10_000_000_000L);
    }

    @Test
    void aChannelWhoseSocketCannotOpenIsPassedForTheNext() {
        try (RealtimeClient client = open("failover", "gpt-4o-realtime-preview")) {
            assertThat(client.next().path("type").asString()).isEqualTo("session.created");
        }
        UsageRow session = store.awaitUsage("failover", 1).getFirst();
        assertThat(session.attempts()).isEqualTo(2);
        assertThat(session.channelId()).isEqualTo(store.channelId("main"));
    }

    @Test
    void aQuietSessionIsClosedAtTheChannelsIdleTimeout() {
        try (RealtimeClient client = open("idle", "gpt-4o-mini-realtime-preview")) {
            client.next();
            ObjectNode error = client.next();
            assertThat(error.path("error").path("code").asString()).isEqualTo("session_timeout");
            assertThat(client.awaitClose()).isEqualTo(1000);
        }
        assertThat(store.awaitUsage("idle", 1).getFirst().endReason()).isEqualTo("timeout");
    }

    @Test
    void aClientThatDropsTheConnectionBetweenResponsesEndsTheSession() {
        RealtimeClient client = open("leaver", "gpt-realtime");
        client.next();
        client.abort();
        UsageRow session = store.awaitUsage("leaver", 1).getFirst();
        assertThat(session.endReason()).isEqualTo("complete");
        assertThat(session.error()).startsWith("the client left without a close frame");
    }

    @Test
    void aClientLeavingDuringAResponseHasItCancelledAndPaysWhatItUsed() {
        upstream.doneDelayMs = 3_000;
        RealtimeClient client = open("hasty", "gpt-realtime");
        client.next();
        client.send(CREATE_TEXT);
        client.until("response.output_text.delta");
        client.abort();
        List<UsageRow> rows = store.awaitUsage("hasty", 2);
        assertThat(upstream.cancels()).isEqualTo(1);
        assertThat(rows.get(0).costNanos()).isEqualTo(TEXT_TURN_COST);
        assertThat(rows.get(1).endReason()).isEqualTo("client_gone");
        assertThat(store.balance("hasty")).isEqualTo(10_000_000_000L - TEXT_TURN_COST);
    }

    @Test
    void anEphemeralKeyMintedByTheGatewayOpensOneSessionOnly() {
        HttpResponse<String> minted = gw.post("/v1/realtime/client_secrets", key("ephemeral"),
                "{\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}");
        assertThat(minted.statusCode()).isEqualTo(200);
        String secret = dev.antler.json.Json.objectOrNull(minted.body().getBytes()).path("value").asString();
        assertThat(secret).startsWith("ek_");
        assertThat(minted.body()).doesNotContain(key("ephemeral"), CHANNEL_KEY);
        assertThat(refusal(List.of("Authorization", "Bearer " + secret), "gpt-4o-realtime-preview"))
                .as("minted for gpt-realtime, used for another model").isEqualTo(401);
        try (RealtimeClient client = RealtimeClient.connect(HTTP, url("gpt-realtime"), List.of(),
                "realtime", "openai-insecure-api-key." + secret)) {
            assertThat(client.next().path("type").asString()).isEqualTo("session.created");
        }
        assertThat(refusal(List.of("Authorization", "Bearer " + secret), "gpt-realtime")).isEqualTo(401);
        assertThat(store.awaitUsage("ephemeral", 1).getFirst().endReason()).isEqualTo("complete");

        HttpResponse<String> legacy = gw.post("/v1/realtime/sessions", key("ephemeral"),
                "{\"model\":\"gpt-realtime\",\"voice\":\"alloy\"}");
        ObjectNode session = dev.antler.json.Json.objectOrNull(legacy.body().getBytes());
        assertThat(session.path("object").asString()).isEqualTo("realtime.session");
        assertThat(session.path("voice").asString()).isEqualTo("alloy");
        assertThat(session.path("client_secret").path("value").asString()).startsWith("ek_");
        assertThat(gw.post("/v1/realtime/client_secrets", key("ephemeral"),
                "{\"expires_after\":{\"anchor\":\"created_at\",\"seconds\":5}}").statusCode()).isEqualTo(400);
        assertThat(gw.post("/v1/realtime/client_secrets", "sk-nobody-0001", "{}").statusCode()).isEqualTo(401);
    }
}

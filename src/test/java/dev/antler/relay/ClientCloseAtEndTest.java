package dev.antler.relay;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that closes the connection as soon as it read the last byte of a stream (its end event) while the
 * upstream's own end of the response comes a little later: the answer was delivered whole, and is logged and
 * billed as complete, never as {@code 499 client_gone}.
 */
class ClientCloseAtEndTest {

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels: [{ name: main, base_url: "%s", key: sk-upstream-0001, models: [gpt-4o-mini] }]
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("chatter", "responder")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void aChatStreamReadToDoneThenClosedIsComplete() {
        int times = 3;
        for (int i = 0; i < times; i++) {
            // the events come at once; the upstream ends its response 300 ms after [DONE]
            upstream.enqueue(FakeReply.ok().content("Hello", " there").eventDelay(100));
            String received = RawHttp.postAndHangUpAfter(gw, "/v1/chat/completions", key("chatter"), """
                    {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}""",
                    "data: [DONE]\n\n");
            assertThat(received).startsWith("HTTP/1.1 200");
        }

        List<UsageRow> rows = store.awaitUsage("chatter", times);
        assertThat(rows).hasSize(times).allSatisfy(row -> {
            assertThat(row.endReason()).isEqualTo("complete");
            assertThat(row.statusCode()).isEqualTo(200);
            assertThat(row.billedBasis()).isEqualTo("reported");
        });
    }

    @Test
    void aResponsesStreamReadToResponseCompletedThenClosedIsComplete() {
        upstream.enqueue(FakeReply.ok().usage(40, 8, 0).eventDelay(100));
        String received = RawHttp.postAndHangUpAfter(gw, "/v1/responses", key("responder"),
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"Say hello\"}", "\"response.completed\"");
        assertThat(received).startsWith("HTTP/1.1 200");

        UsageRow row = store.onlyUsage("responder");
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.costNanos()).isEqualTo(40 * 150 + 8 * 600);
    }
}

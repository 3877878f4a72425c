package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.antler.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * Many realtime sessions opened and ended one after another — closed by the client, dropped without a close frame,
 * refused before the upgrade — leave nothing of themselves in the gateway: no hold (the balance covers one session's
 * hold only), no request in flight (the key may have one at a time), no open session and no watched connection
 * ({@code antler_http_connections} back where it was: an upgraded connection used to stay in the edge's watch list
 * for good, with all it referenced).
 */
class RealtimeSessionCleanupTest {

    private static final int SESSIONS = 60;

    @Test
    void sessionsEndedOneAfterAnotherLeaveNothingBehind() {
        try (FakeRealtime upstream = FakeRealtime.start();
             GatewayHarness gw = GatewayHarness.start("""
                     channels:
                       - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0004, models: [gpt-realtime] }
                     users:
                       - { name: single, balance: 0.53, keys: [{ key: %s, max_concurrent: 1 }] }
                     """.formatted(upstream.baseUrl(), key("single")))) {
            HttpClient http = HttpClient.newHttpClient();
            String url = "ws://127.0.0.1:" + gw.port() + "/v1/realtime?model=gpt-realtime";
            List<String> headers = List.of("Authorization", "Bearer " + key("single"));
            long before = gauge(gw, "antler_http_connections");

            for (int i = 0; i < SESSIONS; i++) {
                if (i % 10 == 9) { // an upgrade refused over HTTP leaves an HTTP/1 connection, closed as usual
                    Throwable refused = catchThrowable(() -> RealtimeClient.connect(http, url,
                            List.of("Authorization", "Bearer sk-not-a-key-0000000000")));
                    assertThat(refused).isInstanceOf(CompletionException.class)
                            .cause().isInstanceOf(WebSocketHandshakeException.class);
                }
                RealtimeClient client = RealtimeClient.connect(http, url, headers);
                assertThat(client.next().path("type").asString()).isEqualTo("session.created");
                if (i % 2 == 0) {
                    client.close();
                } else {
                    client.abort();
                }
                int session = i;
                await(gw, "antler_realtime_sessions", open -> open == 0, "session " + session + " ended");
            }

            assertThat(gauge(gw, "antler_realtime_sessions_ended_total{reason=\"complete\"}")).isEqualTo(SESSIONS);
            await(gw, "antler_http_connections", open -> open <= before,
                    "the sessions' connections left the edge's watch (at most " + before + " open)");
        }
    }

    /** The value of {@code sample} (name and labels, as exposed) in a scrape of {@code /metrics}. */
    private static long gauge(GatewayHarness gw, String sample) {
        String body = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/metrics")).GET().build()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Long.parseLong(line.substring(sample.length() + 1).strip());
            }
        }
        throw new AssertionError("no sample " + sample + " in /metrics");
    }

    /** Waits up to 10 s for {@code sample} to satisfy {@code wanted}. */
    private static void await(GatewayHarness gw, String sample, LongPredicate wanted, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long value = gauge(gw, sample);
        while (!wanted.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            value = gauge(gw, sample);
        }
        assertThat(wanted.test(value)).as(what + ": " + sample + " is " + value).isTrue();
    }
}

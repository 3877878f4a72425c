package dev.antler.midjourney;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.SuiteSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Midjourney submit from a user who cannot pay is refused before its body is read, in midjourney-proxy's
 * envelope, as on the relay chain; reading one's own tasks needs no balance.
 */
class MjPrecheckTest {

    private static final String BROKE = "sk-broke-mj-test-0001";

    private FakeMidjourney upstream;
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeMidjourney();
        SuiteSecrets.record(BROKE);
        gw = GatewayHarness.start("""
                channels: [{ name: mj, type: midjourney, base_url: "%s", key: %s }]
                users:
                  - { name: broke, balance: 0, keys: [{ key: %s }] }
                """.formatted(upstream.baseUrl(), FakeMidjourney.SECRET, BROKE));
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void aSubmitWithoutBalanceIsRefusedBeforeItsBodyIsSent() {
        // 1 MiB announced, not a byte sent: the answer cannot have waited for the body.
        String answer = exchange("POST /mj/submit/imagine HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + BROKE
                + "\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 403").contains("\"code\":4").contains("insufficient balance");
    }

    @Test
    void readingTasksNeedsNoBalance() {
        String answer = exchange("GET /mj/task/no-such-task/fetch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + BROKE + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).doesNotContain("insufficient").doesNotStartWith("HTTP/1.1 403");
    }

    private String exchange(String head) {
        return RawHttp.exchange(gw.port(), head, new byte[0]);
    }
}

package dev.antler.clips;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks by family and status in {@code /metrics}: read from the store once, then reused until they are stale. */
class ClipsMetricsTest {

    private static final Pattern CLIPS = Pattern.compile("(?m)^antler_tasks\\{family=\"clips\",status=\"[A-Z_]+\"} (\\d+)$");

    private FakeClips upstream;
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeClips();
        gw = GatewayHarness.start("""
                channels: [{ name: clips, type: clips, base_url: "%s", key: %s, models: [clip-1] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                metrics: { task_counts_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeClips.KEY, TestUsers.key("alice")), Clock.systemUTC(),
                ClipsBillingTest.withClips());
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void tasksByFamilyAndStatusAreCountedOncePerInterval() {
        submit();
        submit();

        assertThat(clips(gw.gateway().metrics().render())).isEqualTo(2);
        submit();
        assertThat(clips(gw.gateway().metrics().render())).as("reused until metrics.task_counts_ms passes").isEqualTo(2);
    }

    private void submit() {
        assertThat(gw.post("/clips/v1/videos", TestUsers.key("alice"), "{\"model\":\"clip-1\",\"seconds\":2}")
                .statusCode()).isBetween(200, 202);
    }

    private static long clips(String exposition) {
        Matcher matcher = CLIPS.matcher(exposition);
        long total = 0;
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }
}

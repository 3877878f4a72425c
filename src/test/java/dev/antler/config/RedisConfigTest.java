package dev.antler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.app.ConfigCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The redis section: off when absent, set from the file or the environment, refused clearly (no password shown). */
class RedisConfigTest {

    private static AntlerConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(yaml);
    }

    @Test
    void offWhenAbsentWithDefaultsOtherwise() {
        RedisConfig off = AntlerConfig.defaults().redis();
        assertThat(off.enabled()).isFalse();
        assertThat(off).isEqualTo(new RedisConfig(null, "antler:", 250L, 8, 30_000L, 1_000L));
        RedisConfig on = parse("redis: { url: redis://127.0.0.1:6379/0 }", Map.of()).redis();
        assertThat(on.enabled()).isTrue();
        assertThat(on.keyPrefix()).isEqualTo("antler:");
    }

    @Test
    void fromTheFileAndTheEnvironment() {
        RedisConfig config = parse("""
                redis: { url: "redis://:${REDIS_PASSWORD}@cache:6380/2", key_prefix: "gw1:", timeout_ms: 100 }
                """, Map.of("REDIS_PASSWORD", "pw-secret-1", "ANTLER_REDIS_LEASE_MS", "12000",
                "ANTLER_REDIS_POOL_SIZE", "4")).redis();
        assertThat(config).isEqualTo(new RedisConfig("redis://:pw-secret-1@cache:6380/2", "gw1:", 100L, 4, 12_000L,
                1_000L));
        assertThat(config.safeUrl()).isEqualTo("redis://cache:6380/2").doesNotContain("pw-secret-1");
        assertThat(parse("", Map.of("ANTLER_REDIS_URL", "rediss://cache/0")).redis().url())
                .isEqualTo("rediss://cache/0");
    }

    @Test
    void badValuesNameTheFieldAndWhatIsExpected() {
        assertThatThrownBy(() -> parse("redis: { url: \"http://user:pw-secret-2@cache:6379\" }", Map.of()))
                .hasMessageContaining("redis.url: scheme http, host cache (expected: redis://host:port/db")
                .hasMessageNotContaining("pw-secret-2");
        assertThatThrownBy(() -> parse("redis: { url: \"redis://cache:6379/zero\" }", Map.of()))
                .hasMessageContaining("redis.url: database /zero (expected: a database number, e.g. /0)");
        assertThatThrownBy(() -> parse("redis: { url: \"redis://cache\", timeout_ms: 0 }", Map.of()))
                .hasMessageContaining("redis.timeout_ms: 0 (expected: 1 to 60000)");
        assertThatThrownBy(() -> parse("redis: { url: \"redis://cache\", lease_ms: 1000 }", Map.of()))
                .hasMessageContaining("redis.lease_ms: 1000 (expected: >= 3000)");
        assertThatThrownBy(() -> parse("redis: { url: \"redis://cache\", port: 1 }", Map.of()))
                .hasMessageContaining("port");
    }

    @Test
    void configCheckAcceptsARedisSectionWithoutContactingRedis() {
        // Port 1 answers nothing: the check never connects.
        ConfigCheck.check(parse("redis: { url: \"redis://127.0.0.1:1/0\" }", Map.of()));
    }
}

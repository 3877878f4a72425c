package dev.antler.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.config.AntlerConfig;
import dev.antler.config.ConfigLoader;
import dev.antler.config.KeyConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits and security settings from the config file and the environment. */
class LimitsConfigTest {

    private static final String YAML = """
            users:
              - name: alice
                daily_spend_limit: 2.5
                keys: [{ key: sk-alice-config-0001, rpm_limit: 60, tpm_limit: 100000, max_concurrent: 4 }]
            """;

    private static AntlerConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(yaml);
    }

    @Test
    void theFileSetsKeyAndUserLimits() {
        AntlerConfig config = parse(YAML, Map.of());
        assertThat(config.users().getFirst().dailySpendLimit()).isEqualByComparingTo("2.5");
        KeyConfig key = config.users().getFirst().keys().getFirst();
        assertThat(new KeyLimits(key.rpmLimit(), key.tpmLimit(), key.maxConcurrent()))
                .isEqualTo(new KeyLimits(60, 100_000L, 4));
        assertThat(config.server().maxJsonBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.security().corsAllowedOrigins()).containsExactly("*");
        assertThat(config.security().adminCorsAllowedOrigins()).isEmpty();
        assertThat(config.security().allowPrivateBaseUrls()).isFalse();
    }

    @Test
    void theEnvironmentOverridesEachOfThem() {
        AntlerConfig config = parse(YAML, Map.of(
                "ANTLER_USERS_0_DAILY_SPEND_LIMIT", "0.75",
                "ANTLER_USERS_0_KEYS_0_RPM_LIMIT", "7",
                "ANTLER_USERS_0_KEYS_0_TPM_LIMIT", "900",
                "ANTLER_USERS_0_KEYS_0_MAX_CONCURRENT", "1",
                "ANTLER_SERVER_MAX_JSON_BYTES", "1000",
                "ANTLER_SECURITY_CORS_ALLOWED_ORIGINS", "https://a.example,https://b.example",
                "ANTLER_SECURITY_ALLOW_PRIVATE_BASE_URLS", "true"));
        assertThat(config.users().getFirst().dailySpendLimit()).isEqualByComparingTo("0.75");
        KeyConfig key = config.users().getFirst().keys().getFirst();
        assertThat(List.of(key.rpmLimit(), key.tpmLimit(), key.maxConcurrent())).containsExactly(7, 900L, 1);
        assertThat(config.server().maxJsonBytes()).isEqualTo(1000);
        assertThat(config.security().corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(config.security().allowPrivateBaseUrls()).isTrue();
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> parse(YAML.replace("rpm_limit: 60", "rpm_limit: 0"), Map.of()))
                .hasMessageContaining("users[].keys[].rpm_limit: 0 (expected: a whole number > 0, or absent for no limit)");
        assertThatThrownBy(() -> parse(YAML.replace("daily_spend_limit: 2.5", "daily_spend_limit: -1"), Map.of()))
                .hasMessageContaining("users.alice.daily_spend_limit: -1 (expected: USD >= 0, or absent for no cap)");
        assertThatThrownBy(() -> parse("server: { max_json_bytes: 0 }\n", Map.of()))
                .hasMessageContaining("server.max_json_bytes: 0 (expected: > 0)");
    }
}

package dev.antler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class EnvOverridesTest {

    private static AntlerConfig parse(Map<String, String> env) {
        return new ConfigLoader(env::get).parse(ConfigLoaderTest.EXAMPLE);
    }

    @Test
    void overridesScalarsFromTheEnvironment() {
        AntlerConfig config = parse(Map.of(
                "ANTLER_SERVER_PORT", "8080",
                "ANTLER_DATABASE_URL", "jdbc:postgresql://db:5432/antler",
                "ANTLER_ADMIN_KEY", "sk-admin-from-env",
                "ANTLER_CHANNELS_0_KEY", "sk-upstream-from-env",
                "ANTLER_PRICES_GPT_4O_MINI_INPUT_PER_MTOK", "0.2",
                "ANTLER_CHANNELS_0_MODELS", "a, b,,"));

        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/antler");
        assertThat(config.admin().key()).isEqualTo("sk-admin-from-env");
        assertThat(config.channels().getFirst().key()).isEqualTo("sk-upstream-from-env");
        assertThat(config.channels().getFirst().models()).containsExactly("a", "b");
        assertThat(config.prices().get("gpt-4o-mini").inputPerMtok()).isEqualByComparingTo("0.2");
        assertThat(config.prices().get("gpt-4o-mini").outputPerMtok()).isEqualByComparingTo("0.60");
    }

    @Test
    void setsKeysTheFileLeavesOut() {
        AntlerConfig config = parse(Map.of(
                "ANTLER_DATABASE_USERNAME", "antler",
                "ANTLER_DATABASE_POOL_SIZE", "16",
                "ANTLER_BILLING_FLUSH_INTERVAL_MS", "50",
                "ANTLER_USERS_0_KEYS_0_SPEND_LIMIT", "2.5",
                "ANTLER_CHANNELS_0_ENABLED", "false"));

        assertThat(config.database().username()).isEqualTo("antler");
        assertThat(config.database().poolSize()).isEqualTo(16);
        assertThat(config.billing().flushIntervalMs()).isEqualTo(50);
        assertThat(config.users().getFirst().keys().getFirst().spendLimit()).isEqualByComparingTo("2.5");
        assertThat(config.channels().getFirst().enabled()).isFalse();
    }

    @Test
    void setsTheHoldKeysFromTheEnvironment() {
        AntlerConfig config = parse(Map.of(
                "ANTLER_BILLING_IMAGE_PROMPT_TOKENS", "2000",
                "ANTLER_BILLING_DOCUMENT_PAGE_TOKENS", "1500",
                "ANTLER_BILLING_CAP_MAX_TOKENS_TO_BALANCE", "true"));

        assertThat(config.billing().imagePromptTokens()).isEqualTo(2000);
        assertThat(config.billing().documentPageTokens()).isEqualTo(1500);
        assertThat(config.billing().capMaxTokensToBalance()).isTrue();
        assertThat(parse(Map.of()).billing().capMaxTokensToBalance()).isFalse();
        assertThat(parse(Map.of()).billing().imagePromptTokens()).isNull();
    }

    @Test
    void leavesTheTreeAloneWithoutVariables() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("server").put("port", 3000);
        ObjectNode before = root.deepCopy();
        new EnvOverrides(name -> null).apply(root);
        assertThat(root).isEqualTo(before);
    }

    @Test
    void writesOverridesIntoTheTreeAsText() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        new EnvOverrides(Map.of("ANTLER_SERVER_PORT", "8080", "ANTLER_CHANNELS_0_GROUPS", "x")::get).apply(root);
        assertThat(root.toString()).isEqualTo("{\"server\":{\"port\":\"8080\"}}");
    }

    @Test
    void refusesAnInvalidPortFromTheEnvironment() {
        assertThatThrownBy(() -> parse(Map.of("ANTLER_SERVER_PORT", "99999")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): server.port: 99999 (expected: 0-65535)");
        assertThatThrownBy(() -> parse(Map.of("ANTLER_SERVER_PORT", "eighty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string): server.port: ")
                .hasMessageContaining("\"eighty\"");
    }

    @Test
    void namesVariablesAfterThePathInUpperCase() {
        assertThat(EnvOverrides.segment("gpt-4o-mini")).isEqualTo("GPT_4O_MINI");
        assertThat(EnvOverrides.segment("claude-3.5-sonnet")).isEqualTo("CLAUDE_3_5_SONNET");
        assertThat(EnvOverrides.segment("input_per_mtok")).isEqualTo("INPUT_PER_MTOK");
        assertThat(EnvOverrides.PREFIX).isEqualTo("ANTLER");
    }
}

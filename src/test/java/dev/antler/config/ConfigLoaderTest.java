package dev.antler.config;

import dev.antler.testing.ExampleConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String EXAMPLE = ExampleConfig.FULL;

    private static AntlerConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(yaml);
    }

    @Test
    void parsesTheExample() {
        AntlerConfig config = parse(EXAMPLE, Map.of());

        assertThat(config.server().port()).isEqualTo(3000);
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.database()).isEqualTo(new DatabaseConfig("jdbc:sqlite:data/antler.db", null, null, 8));
        assertThat(config.admin()).isEqualTo(new AdminConfig("sk-admin-change-me"));
        assertThat(config.billing()).isEqualTo(BillingConfig.defaults());
        assertThat(config.channels()).containsExactly(new ChannelConfig("openai-main", "openai",
                "https://api.openai.com", "sk-upstream-key", List.of("gpt-4o-mini", "text-embedding-3-small"),
                Map.of("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), 0, 1, List.of("default"), true));
        assertThat(config.prices()).containsOnlyKeys("gpt-4o-mini", "dall-e-3", "some-model");
        PriceConfig mini = config.prices().get("gpt-4o-mini");
        assertThat(mini.inputPerMtok()).isEqualByComparingTo("0.15");
        assertThat(mini.outputPerMtok()).isEqualByComparingTo("0.60");
        assertThat(mini.cachedInputPerMtok()).isNull();
        assertThat(config.prices().get("dall-e-3").perImage()).isEqualByComparingTo("0.04");
        assertThat(config.prices().get("some-model").perCall()).isEqualByComparingTo("0.01");
        assertThat(config.groups()).isEmpty();
        assertThat(config.users()).singleElement().satisfies(alice -> {
            assertThat(alice.name()).isEqualTo("alice");
            assertThat(alice.group()).isEqualTo("default");
            assertThat(alice.balance()).isEqualByComparingTo("10.00");
            assertThat(alice.keys()).containsExactly(
                    new KeyConfig("laptop", "sk-alice-0123456789abcdef", List.of(), null, null, null, null, null));
        });
    }

    @Test
    void parsesAnEmptyFileToTheDefaults() {
        assertThat(parse("", Map.of())).isEqualTo(AntlerConfig.defaults());
        assertThat(parse("# nothing\n", Map.of())).isEqualTo(AntlerConfig.defaults());
    }

    @Test
    void readsChannelTimeoutsAndHealthSettings() {
        AntlerConfig config = parse("""
                health: { breaker_failures: 3, breaker_open_ms: 1000, test_interval_seconds: 0 }
                channels: [{ name: up, idle_timeout_ms: 1500, total_timeout_ms: 60000 }]
                """, Map.of("ANTLER_HEALTH_MAX_RETRY_AFTER_MS", "5000"));

        assertThat(config.health()).isEqualTo(new HealthConfig(3, 60_000L, 1_000L, 5_000L, 0));
        assertThat(config.channels().get(0).idleTimeoutMs()).isEqualTo(1500L);
        assertThat(config.channels().get(0).totalTimeoutMs()).isEqualTo(60_000L);
        assertThat(config.channels().get(0).connectTimeoutMs()).isNull();
        assertThat(AntlerConfig.defaults().health()).isEqualTo(new HealthConfig(5, 60_000L, 30_000L, 600_000L, 300));
    }

    @Test
    void refusesInvalidTimeoutsAndHealthSettingsNamingThem() {
        assertThatThrownBy(() -> parse("channels: [{ name: up, idle_timeout_ms: 0 }]", Map.of()))
                .hasMessageContaining("idle_timeout_ms: 0 (expected: 1 to 86400000 ms)");
        assertThatThrownBy(() -> parse("health: { breaker_failures: 0 }", Map.of()))
                .hasMessageContaining("health.breaker_failures");
    }

    @Test
    void keepsDecimalPricesExact() {
        AntlerConfig config = parse("prices: { m: { input_per_mtok: 0.1, output_per_mtok: 0.000000001, "
                + "per_call: \"0.3\" } }", Map.of());
        assertThat(config.prices().get("m").inputPerMtok()).isEqualByComparingTo(new BigDecimal("0.1"));
        assertThat(config.prices().get("m").outputPerMtok()).isEqualByComparingTo(new BigDecimal("1E-9"));
        assertThat(config.prices().get("m").perCall()).isEqualByComparingTo(new BigDecimal("0.3"));
    }

    @Test
    void resolvesReferencesToTheEnvironment() {
        AntlerConfig config = parse("""
                admin: { key: "${ADMIN_KEY}" }
                database:
                  url: "jdbc:postgresql://${DB_HOST:-localhost}:${DB_PORT:-5432}/antler"
                  password: "${DB_PASSWORD:-}"
                channels:
                  - { name: up, key: "Bearer ${UPSTREAM_KEY}", models: ["${MODEL:-gpt-4o-mini}", fixed] }
                """, Map.of("ADMIN_KEY", "sk-admin-from-env", "DB_HOST", "db.internal", "UPSTREAM_KEY", "sk-$1\\x"));

        assertThat(config.admin().key()).isEqualTo("sk-admin-from-env");
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db.internal:5432/antler");
        assertThat(config.database().password()).isEmpty();
        assertThat(config.channels().getFirst().key()).isEqualTo("Bearer sk-$1\\x");
        assertThat(config.channels().getFirst().models()).containsExactly("gpt-4o-mini", "fixed");
    }

    @Test
    void refusesAnUnsetReferenceWithoutDefault() {
        assertThatThrownBy(() -> parse("admin: { key: \"${ANTLER_ADMIN_SECRET}\" }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable: ANTLER_ADMIN_SECRET (expected: set, as the config refers to it)");
    }

    @Test
    void refusesAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> parse("server: { prot: 3000 }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): server.prot: unknown key "
                        + "(expected: one of body_read_idle_timeout_ms, event_loops, header_read_timeout_ms, host, "
                        + "http2_cleartext, max_body_bytes, max_inflight_body_bytes, max_json_bytes, native_transport, port, upstream_max_connections)");
        assertThatThrownBy(() -> parse("channels: [{ name: up, base_ulr: \"https://x\" }]", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "config (string): channels[0].base_ulr: unknown key (expected: one of base_url, ");
        assertThatThrownBy(() -> parse("prices: { m: { input_per_mtk: 1 } }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string): prices.m.input_per_mtk: unknown key (expected: one of ");
        assertThatThrownBy(() -> parse("databse: { url: \"jdbc:sqlite:x.db\" }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string): databse: unknown key (expected: one of admin, billing, ");
    }

    @Test
    void refusesAnInvalidPort() {
        assertThatThrownBy(() -> parse("server: { port: 70000 }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): server.port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> parse("server: { port: -1 }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): server.port: -1 (expected: 0-65535)");
        assertThatThrownBy(() -> parse("server: { port: http }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string): server.port: ")
                .hasMessageContaining("\"http\"");
    }

    @Test
    void refusesAValueOfTheWrongTypeNamingItsKey() {
        assertThatThrownBy(() -> parse("users: [{ name: a, balance: ten }]", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string): users[0].balance: ")
                .hasMessageContaining("\"ten\"");
        assertThatThrownBy(() -> parse("channels: [{ name: up, models: 3 }]", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string): channels[0].models: ");
    }

    @Test
    void refusesInvalidYaml() {
        assertThatThrownBy(() -> parse("server: { port: [3000 }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config (string) is not valid YAML: ");
    }

    @Test
    void refusesOtherInvalidValuesWithTheirName() {
        assertThatThrownBy(() -> parse("channels: [{ type: openai }]", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): channels[].name: null (expected: a non-empty name)");
        assertThatThrownBy(() -> parse("users: [{ name: bob, keys: [{ name: k }] }]", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): users[].keys[].key: null (expected: the key in plain text)");
        assertThatThrownBy(() -> parse("database: { pool_size: 0 }", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config (string): database.pool_size: 0 (expected: > 0)");
    }

    @Test
    void loadsAFile(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("antler.yaml");
        Files.writeString(file, EXAMPLE);
        assertThat(new ConfigLoader(name -> null).load(file)).isEqualTo(parse(EXAMPLE, Map.of()));
    }

    @Test
    void loadsTheDefaultsPlusEnvironmentWithoutAFile() {
        AntlerConfig config = new ConfigLoader(Map.of("ANTLER_SERVER_PORT", "8080")::get).load(null);
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.database()).isEqualTo(DatabaseConfig.defaults());
    }

    @Test
    void refusesAMissingOrInvalidFile(@TempDir Path directory) throws IOException {
        Path missing = directory.resolve("missing.yaml");
        assertThatThrownBy(() -> new ConfigLoader(name -> null).load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file: " + missing + " (expected: a readable YAML file)");
        Path invalid = directory.resolve("invalid.yaml");
        Files.writeString(invalid, "server: { port: [3000\n");
        assertThatThrownBy(() -> new ConfigLoader(name -> null).load(invalid))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file: " + invalid + " is not valid YAML");
    }

    @Test
    void convertsCamelCaseToSnakeCase() {
        assertThat(ConfigLoader.snakeCase("baseUrl")).isEqualTo("base_url");
        assertThat(ConfigLoader.snakeCase("cachedInputPerMtok")).isEqualTo("cached_input_per_mtok");
        assertThat(ConfigLoader.snakeCase("port")).isEqualTo("port");
    }

    @Test
    void bodyMemoryAndConnectionSettingsHaveDefaultsAndComeFromTheEnvironment() {
        ServerConfig defaults = parse("", Map.of()).server();
        assertThat(defaults.maxInflightBodyBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(defaults.headerReadTimeoutMs()).isEqualTo(10_000);
        assertThat(defaults.bodyReadIdleTimeoutMs()).isEqualTo(30_000);
        assertThat(defaults.http2Cleartext()).isFalse();

        ServerConfig set = parse("", Map.of("ANTLER_SERVER_MAX_INFLIGHT_BODY_BYTES", "1048576",
                "ANTLER_SERVER_HEADER_READ_TIMEOUT_MS", "500", "ANTLER_SERVER_BODY_READ_IDLE_TIMEOUT_MS", "700",
                "ANTLER_SERVER_HTTP2_CLEARTEXT", "true")).server();
        assertThat(set.maxInflightBodyBytes()).isEqualTo(1_048_576);
        assertThat(set.headerReadTimeoutMs()).isEqualTo(500);
        assertThat(set.bodyReadIdleTimeoutMs()).isEqualTo(700);
        assertThat(set.http2Cleartext()).isTrue();
        assertThatThrownBy(() -> parse("server: { max_inflight_body_bytes: 0 }", Map.of()))
                .hasMessageContaining("server.max_inflight_body_bytes: 0 (expected: > 0)");
    }
}

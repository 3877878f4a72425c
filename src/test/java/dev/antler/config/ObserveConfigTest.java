package dev.antler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics, logging and drain settings: defaults, the file, the environment, and clear refusals. */
class ObserveConfigTest {

    private static AntlerConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(yaml);
    }

    @Test
    void defaults() {
        AntlerConfig config = AntlerConfig.defaults();
        assertThat(config.metrics()).isEqualTo(new MetricsConfig(null, 15_000L));
        assertThat(config.logging()).isEqualTo(new LoggingConfig("text", null, Map.of()));
        assertThat(config.health().drainDelayMs()).isZero();
    }

    @Test
    void fromTheFileAndTheEnvironment() {
        AntlerConfig config = parse("""
                metrics: { token: "${METRICS_TOKEN}", task_counts_ms: 5000 }
                logging: { level: warn, levels: { dev.antler.relay: debug } }
                health: { drain_delay_ms: 4000 }
                """, Map.of("METRICS_TOKEN", "scrape-me", "ANTLER_LOGGING_FORMAT", "json"));
        assertThat(config.metrics()).isEqualTo(new MetricsConfig("scrape-me", 5_000L));
        assertThat(config.logging()).isEqualTo(new LoggingConfig("json", "WARN", Map.of("dev.antler.relay", "DEBUG")));
        assertThat(config.health().drainDelayMs()).isEqualTo(4_000L);
    }

    @Test
    void theAccessLogIsOffByDefaultAndOnAsTrueOrAFile() {
        assertThat(AntlerConfig.defaults().logging().accessLogOn()).isFalse();
        assertThat(parse("logging: { access_log: false }", Map.of()).logging().accessLogOn()).isFalse();
        LoggingConfig console = parse("logging: { access_log: true }", Map.of()).logging();
        assertThat(console.accessLogOn()).isTrue();
        assertThat(console.accessLogFile()).isNull();
        LoggingConfig file = parse("", Map.of("ANTLER_LOGGING_ACCESS_LOG", "/var/log/antler/access.log")).logging();
        assertThat(file.accessLogFile()).isEqualTo("/var/log/antler/access.log");
    }

    @Test
    void badValuesNameTheFieldAndTheAllowedValues() {
        assertThatThrownBy(() -> parse("logging: { format: xml }", Map.of()))
                .hasMessageContaining("logging.format: xml (expected: text or json)");
        assertThatThrownBy(() -> parse("logging: { levels: { dev.antler: LOUD } }", Map.of()))
                .hasMessageContaining("logging.levels.dev.antler: LOUD (expected: one of TRACE");
        assertThatThrownBy(() -> parse("health: { drain_delay_ms: -1 }", Map.of()))
                .hasMessageContaining("health.drain_delay_ms: -1 (expected: >= 0)");
    }
}

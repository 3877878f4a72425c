package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ANTLER_LOG_LEVELS}: levels per package from the environment, checked like the config's. */
class LogLevelsTest {

    @Test
    void pairsSeparatedByCommas() {
        assertThat(LogSetup.parseLevels("dev.antler.relay=debug, io.vertx=INFO,")).isEqualTo(
                Map.of("dev.antler.relay", "DEBUG", "io.vertx", "INFO"));
        assertThat(LogSetup.parseLevels("")).isEmpty();
    }

    @Test
    void aMalformedEntryIsNamed() {
        assertThatThrownBy(() -> LogSetup.parseLevels("dev.antler"))
                .hasMessageContaining("ANTLER_LOG_LEVELS: dev.antler (expected: logger=LEVEL, comma-separated)");
        assertThatThrownBy(() -> LogSetup.parseLevels("dev.antler=LOUD"))
                .hasMessageContaining("logging.levels.dev.antler: LOUD");
    }
}

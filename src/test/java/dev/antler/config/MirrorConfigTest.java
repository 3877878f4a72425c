package dev.antler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorConfigTest {

    @Test
    void isOffByDefaultAndSettableFromFileAndEnvironment() {
        AntlerConfig defaults = new ConfigLoader(k -> null).parse("");
        assertThat(defaults.mirror().enabled()).isFalse();
        assertThat(defaults.mirror().retentionHours()).isEqualTo(168L);
        assertThat(defaults.mirror().maxVideoBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(defaults.mirror().videoTimeoutMs()).isEqualTo(600_000);

        Map<String, String> env = Map.of("ANTLER_MIRROR_ENABLED", "true", "ANTLER_MIRROR_RETENTION_HOURS", "24",
                "ANTLER_MIRROR_MAX_VIDEO_BYTES", "1000000");
        AntlerConfig config = new ConfigLoader(env::get).parse("""
                mirror: { directory: /var/antler/files, public_base_url: "https://ai.example.com/" }
                """);
        assertThat(config.mirror().enabled()).isTrue();
        assertThat(config.mirror().retentionHours()).isEqualTo(24L);
        assertThat(config.mirror().maxVideoBytes()).isEqualTo(1_000_000L);
        assertThat(config.mirror().directory()).isEqualTo("/var/antler/files");
        assertThat(config.mirror().publicBaseUrl()).isEqualTo("https://ai.example.com/");
    }

    @Test
    void refusesNonsense() {
        ConfigLoader loader = new ConfigLoader(k -> null);
        assertThatThrownBy(() -> loader.parse("mirror: { retention_hours: 0 }"))
                .hasMessageContaining("mirror.retention_hours: 0 (expected: > 0)");
        assertThatThrownBy(() -> loader.parse("mirror: { max_video_bytes: 0 }"))
                .hasMessageContaining("mirror.max_video_bytes / video_timeout_ms: 0 / 600000 (expected: > 0 / > 0)");
        assertThatThrownBy(() -> loader.parse("mirror: { public_base_url: \"ftp://x\" }"))
                .hasMessageContaining("mirror.public_base_url: ftp://x (expected: an http:// or https:// URL");
    }
}

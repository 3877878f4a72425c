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

    @Test
    void aBucketIsReadWithItsKeysFromTheEnvironmentAndNeverShowsThem() {
        Map<String, String> env = Map.of("S3_SECRET", "very-secret-value-0001", "ANTLER_MIRROR_S3_ACCESS_KEY", "AKIAENV0001");
        AntlerConfig config = new ConfigLoader(env::get).parse("""
                mirror:
                  enabled: true
                  s3: { endpoint: "https://acc.r2.cloudflarestorage.com/", region: auto, bucket: media,
                        prefix: gateway/files, secret_key: "${S3_SECRET}" }
                """);
        S3Config s3 = config.mirror().s3();
        assertThat(s3.endpoint()).isEqualTo("https://acc.r2.cloudflarestorage.com");
        assertThat(s3.region()).isEqualTo("auto");
        assertThat(s3.bucket()).isEqualTo("media");
        assertThat(s3.prefix()).isEqualTo("gateway/files/");
        assertThat(s3.accessKey()).isEqualTo("AKIAENV0001");
        assertThat(s3.secretKey()).isEqualTo("very-secret-value-0001");
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.toString() + config.mirror()).doesNotContain("very-secret-value-0001").doesNotContain("AKIAENV0001");

        S3Config defaults = new ConfigLoader(k -> null).parse(
                "mirror: { s3: { bucket: media, access_key: a, secret_key: b, path_style: true } }").mirror().s3();
        assertThat(defaults.endpoint()).isNull();
        assertThat(defaults.region()).isEqualTo("us-east-1");
        assertThat(defaults.prefix()).isEqualTo("antler/");
        assertThat(defaults.pathStyle()).isTrue();
        assertThat(new ConfigLoader(k -> null).parse("").mirror().s3()).isNull();
    }

    @Test
    void aBadBucketIsAClearStartError() {
        ConfigLoader loader = new ConfigLoader(k -> null);
        assertThatThrownBy(() -> loader.parse("mirror: { s3: { access_key: a, secret_key: b } }"))
                .hasMessageContaining("mirror.s3.bucket: null (expected: an existing bucket's name");
        assertThatThrownBy(() -> loader.parse("mirror: { s3: { bucket: media, access_key: a } }"))
                .hasMessageContaining("mirror.s3.access_key / secret_key: set / missing (expected: both");
        assertThatThrownBy(() -> loader.parse(
                "mirror: { s3: { bucket: media, endpoint: \"s3.example.com\", access_key: a, secret_key: hidden-0001 } }"))
                .hasMessageContaining("mirror.s3.endpoint: s3.example.com (expected: an http:// or https:// URL")
                .hasMessageNotContaining("hidden-0001");
        assertThatThrownBy(() -> loader.parse(
                "mirror: { s3: { bucket: media, region: \"EU West\", access_key: a, secret_key: b } }"))
                .hasMessageContaining("mirror.s3.region: EU West (expected:");
        assertThatThrownBy(() -> loader.parse(
                "mirror: { s3: { bucket: media, prefix: \"../up\", access_key: a, secret_key: b } }"))
                .hasMessageContaining("mirror.s3.prefix: ../up/ (expected:");
        assertThatThrownBy(() -> loader.parse(
                "mirror: { s3: { bucket: media, access_kee: a, secret_key: b } }"))
                .hasMessageContaining("mirror.s3.access_kee: unknown key");
        assertThatThrownBy(() -> loader.parse("mirror: { s3: { bucket: media, secret_key: b } }"))
                .hasMessageContaining("missing / set");
        assertThatThrownBy(() -> loader.parse(
                "mirror: { max_video_bytes: 6000000000, s3: { bucket: media, access_key: a, secret_key: b } }"))
                .hasMessageContaining("mirror.max_file_bytes / max_video_bytes: 33554432 / 6000000000 (expected: at most "
                        + "5368709120 each with mirror.s3");
        assertThatThrownBy(() -> loader.parse("mirror: { s3: { bucket: media, access_key: a, secret_key: \"${NOPE}\" } }"))
                .hasMessageContaining("environment variable: NOPE (expected: set");
    }
}

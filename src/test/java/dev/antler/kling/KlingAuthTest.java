package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.testing.ManualClock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KlingAuthTest {

    static Channel channel(String key) {
        return new Channel(3, "kling-a", "kling", "https://kling.example.test", key, Set.of(), Map.of(), 0, 1,
                Set.of("default"), dev.antler.accounts.Status.ACTIVE, null);
    }

    @Test
    void signsTheWellKnownHs256Vector() {
        // RFC 7519 / jwt.io's example token, HMAC-SHA256 with "your-256-bit-secret".
        assertThat(KlingAuth.sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":1516239022}", "your-256-bit-secret"))
                .isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
                        + "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    }

    @Test
    void theTokenCarriesKlingsClaimsAndIsReusedUntilShortlyBeforeItExpires() {
        ManualClock clock = new ManualClock(Instant.ofEpochSecond(1_750_000_000L));
        KlingAuth auth = new KlingAuth(clock);
        Channel channel = channel("ak-1|sk-secret");
        String first = auth.header(channel);
        assertThat(first).startsWith("Bearer ");
        String[] parts = first.substring(7).split("\\.");
        JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asString()).isEqualTo("HS256");
        assertThat(header.path("typ").asString()).isEqualTo("JWT");
        assertThat(claims.path("iss").asString()).isEqualTo("ak-1");
        assertThat(claims.path("exp").asLong()).isEqualTo(1_750_000_000L + 1800);
        assertThat(claims.path("nbf").asLong()).isEqualTo(1_750_000_000L - 5);
        assertThat(first.substring(7)).isEqualTo(KlingAuth.jwt("ak-1", "sk-secret", 1_750_000_000L));

        clock.advanceSeconds(1800 - 301);
        assertThat(auth.header(channel)).as("still well inside its life").isEqualTo(first);
        clock.advanceSeconds(1);
        assertThat(auth.header(channel)).as("renewed 300 s before expiry").isNotEqualTo(first);
        assertThat(auth.header(channel("ak-2|sk-other"))).as("a changed key signs anew")
                .isEqualTo("Bearer " + KlingAuth.jwt("ak-2", "sk-other", clock.millis() / 1000));
    }

    @Test
    void anSkKeyIsABearerAsItIsAndAMalformedKeyIsNeverShown() {
        KlingAuth auth = new KlingAuth(ManualClock.now());
        assertThat(auth.header(channel("sk-relay-1"))).isEqualTo("Bearer sk-relay-1");
        assertThatThrownBy(() -> auth.header(channel("just-one-secret-part")))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("expected: accessKey|secretKey")
                .hasMessageNotContaining("just-one-secret-part");
    }
}

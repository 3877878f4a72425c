package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets in the config file may be references to environment variables, or set from the environment. */
class ConfigSecretsTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    @Test
    void channelAndAdminKeysComeFromEnvironmentReferences() {
        try (FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gw = GatewayHarness.start("""
                     admin: { key: "${SECRET_ADMIN_KEY}" }
                     channels:
                       - { name: a, base_url: "%s", key: "${SECRET_UPSTREAM_KEY}", models: [gpt-4o-mini] }
                       - { name: b, base_url: "%s", key: "in-file-placeholder", models: [gpt-4o-mini], priority: -1 }
                     users:
                     %s""".formatted(upstream.baseUrl(), upstream.baseUrl(), TestUsers.yaml("env")),
                     Map.of("SECRET_ADMIN_KEY", "sk-admin-from-env-0123456789",
                             "SECRET_UPSTREAM_KEY", "sk-upstream-from-env-0001",
                             "ANTLER_CHANNELS_1_KEY", "sk-upstream-from-env-0002"))) {
            assertThat(RawHttp.post(gw, "/v1/chat/completions", TestUsers.key("env"), CHAT).statusCode()).isEqualTo(200);
            assertThat(upstream.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-upstream-from-env-0001");
            assertThat(gw.gateway().admin().channels().findByName("b").orElseThrow().apiKey())
                    .isEqualTo("sk-upstream-from-env-0002");

            assertThat(admin(gw, "sk-admin-from-env-0123456789")).isEqualTo(200);
            assertThat(admin(gw, "${SECRET_ADMIN_KEY}")).isEqualTo(401);
            assertThat(admin(gw, GatewayHarness.ADMIN_KEY)).isEqualTo(401);
        }
    }

    private static int admin(GatewayHarness gw, String key) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/admin/users"))
                .header("Authorization", "Bearer " + key).GET().build()).statusCode();
    }
}

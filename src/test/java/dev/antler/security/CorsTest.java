package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Browsers may call the API from any origin by default, and the admin API only from origins named for it. */
class CorsTest {

    private static HttpResponse<String> preflight(GatewayHarness gw, String path, String origin) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, x-stainless-os")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> get(GatewayHarness gw, String path, String key, String origin) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Origin", origin).header("Authorization", "Bearer " + key).GET().build());
    }

    @Test
    void byDefaultAnyOriginMayCallTheApiWithAKey() {
        try (FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gw = GatewayHarness.start("""
                     channels: [{ name: main, base_url: "%s", key: sk-up-cors-0001, models: [gpt-4o-mini] }]
                     users:
                     %s""".formatted(upstream.baseUrl(), TestUsers.yaml("browser")))) {
            HttpResponse<String> allowed = preflight(gw, "/v1/chat/completions", "https://playground.example");
            assertThat(allowed.statusCode()).isEqualTo(204);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                    m -> assertThat(m).contains("POST", "GET"));
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers"))
                    .contains("authorization, content-type, x-stainless-os");
            assertThat(upstream.requests()).isEmpty();

            HttpResponse<String> models = get(gw, "/v1/models", TestUsers.key("browser"), "https://playground.example");
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            assertThat(models.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(
                    h -> assertThat(h).contains("X-Request-Id", "Retry-After"));

            HttpResponse<String> admin = preflight(gw, "/api/admin/users", "https://playground.example");
            assertThat(admin.statusCode()).isEqualTo(403);
            assertThat(admin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(admin.body()).contains("Origin: https://playground.example (expected: an origin listed in "
                    + "security.admin_cors_allowed_origins)");
        }
    }

    @Test
    void listedOriginsOnlyAndTheAdminConsoleByName() {
        try (GatewayHarness gw = GatewayHarness.start("""
                security:
                  allow_private_base_urls: true
                  cors_allowed_origins: [https://app.example]
                  admin_cors_allowed_origins: [https://console.example]
                users:
                %s""".formatted(TestUsers.yaml("listed")))) {
            HttpResponse<String> app = preflight(gw, "/v1/chat/completions", "https://app.example");
            assertThat(app.statusCode()).isEqualTo(204);
            assertThat(app.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
            assertThat(app.headers().firstValue("Vary")).contains("Origin");

            assertThat(preflight(gw, "/v1/chat/completions", "https://evil.example").statusCode()).isEqualTo(403);
            HttpResponse<String> foreign = get(gw, "/v1/models", TestUsers.key("listed"), "https://evil.example");
            assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

            HttpResponse<String> console = preflight(gw, "/api/admin/users", "https://console.example");
            assertThat(console.statusCode()).isEqualTo(204);
            assertThat(console.headers().firstValue("Access-Control-Allow-Origin")).contains("https://console.example");
            HttpResponse<String> users = get(gw, "/api/admin/users", GatewayHarness.ADMIN_KEY, "https://console.example");
            assertThat(users.statusCode()).isEqualTo(200);
            assertThat(users.headers().firstValue("Access-Control-Allow-Origin")).contains("https://console.example");
            assertThat(preflight(gw, "/api/admin/users", "https://app.example").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aWildcardForTheAdminApiIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GatewayHarness.start("""
                security: { admin_cors_allowed_origins: ["*"] }
                """)).hasMessageContaining("security.admin_cors_allowed_origins: * (expected: the exact origins");
    }
}

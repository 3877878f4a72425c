package dev.antler.app;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A channel stored while {@code security.allow_private_base_urls} was true does not relay after a restart
 * with it false: it is disabled with the reason in the admin listing, and enabled again once private
 * addresses are allowed again.
 */
class PrivateChannelRestartTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    private Path dir;
    private FakeOpenAi upstream;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("antler-private-restart-");
        upstream = FakeOpenAi.start();
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private GatewayHarness gateway(boolean allowPrivate) {
        return GatewayHarness.start("""
                database: { url: "jdbc:sqlite:%s" }
                security: { allow_private_base_urls: %s }
                health: { test_interval_seconds: 0 }
                users:
                %s""".formatted(dir.resolve("antler.db"), allowPrivate, TestUsers.yaml("private-restarter")));
    }

    @Test
    void aLoopbackChannelStoredWhileAllowedIsRefusedAfterARestartThatForbidsIt() {
        try (GatewayHarness first = gateway(true)) {
            HttpResponse<String> created = admin(first, "POST", "/api/admin/channels", """
                    {"name": "loopback", "base_url": "%s", "key": "sk-up-private-0001", "models": ["gpt-4o-mini"]}"""
                    .formatted(upstream.baseUrl()));
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(first.post("/v1/chat/completions", key("private-restarter"), CHAT).statusCode()).isEqualTo(200);
        }

        try (GatewayHarness second = gateway(false)) {
            JsonNode listed = channel(second);
            HttpResponse<String> answer = second.post("/v1/chat/completions", key("private-restarter"), CHAT);
            long id = listed.get("id").asLong();

            assertThat(listed.get("enabled").asBoolean()).isFalse();
            assertThat(listed.get("status_reason").asString()).isEqualTo("address-refused: base_url: "
                    + upstream.baseUrl() + " (expected: a public address (127.0.0.1 is 127.0.0.1, a loopback, "
                    + "private or link-local address; the operator may allow these with "
                    + "security.allow_private_base_urls: true))");
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(admin(second, "PATCH", "/api/admin/channels/" + id, "{\"enabled\": true}").statusCode())
                    .isEqualTo(400);
            assertThat(admin(second, "POST", "/api/admin/channels/" + id + "/test", "").statusCode()).isEqualTo(400);
            assertThat(channel(second).get("enabled").asBoolean()).isFalse();
            assertThat(upstream.requests()).as("only the call of the first run").hasSize(1);
        }

        try (GatewayHarness third = gateway(true)) {
            JsonNode listed = channel(third);
            assertThat(listed.get("enabled").asBoolean()).isTrue();
            assertThat(listed.get("status_reason").isNull()).isTrue();
            assertThat(third.post("/v1/chat/completions", key("private-restarter"), CHAT).statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode channel(GatewayHarness gw) {
        HttpResponse<String> list = admin(gw, "GET", "/api/admin/channels", null);
        return Json.MAPPER.readTree(list.body()).get("data").get(0);
    }

    private static HttpResponse<String> admin(GatewayHarness gw, String method, String path, String body) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

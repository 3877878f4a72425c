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

/** A restart re-applies the config file, but what the admin changed through the admin API stays changed. */
class AdminEditsRestartTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    private Path dir;
    private FakeOpenAi upstream;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("antler-admin-edits-");
        upstream = FakeOpenAi.start();
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private GatewayHarness gateway(String extraChannel) {
        return GatewayHarness.start("""
                database: { url: "jdbc:sqlite:%s" }
                channels:
                  - { name: from-config, base_url: "%s", key: sk-up-edits-0001, models: [gpt-4o-mini] }
                %s
                prices:
                  gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                users:
                %s""".formatted(dir.resolve("antler.db"), upstream.baseUrl(), extraChannel,
                TestUsers.yaml("edits-restarter")));
    }

    @Test
    void aChannelTheAdminDisabledStaysDisabledAndANewConfigChannelIsCreated() {
        try (GatewayHarness first = gateway("")) {
            long id = channel(first, "from-config").get("id").asLong();
            assertThat(admin(first, "PATCH", "/api/admin/channels/" + id, "{\"enabled\": false}").statusCode())
                    .isEqualTo(200);
            assertThat(admin(first, "PUT", "/api/admin/prices/gpt-4o-mini", "{\"per_call\": 0.5}").statusCode())
                    .isEqualTo(200);
        }

        try (FakeOpenAi added = FakeOpenAi.start();
             GatewayHarness second = gateway("  - { name: added-later, base_url: \"%s\", key: sk-up-edits-0002, "
                     .formatted(added.baseUrl()) + "models: [gpt-4o-mini] }")) {
            assertThat(channel(second, "from-config").get("enabled").asBoolean()).isFalse();
            assertThat(channel(second, "added-later").get("enabled").asBoolean()).isTrue();
            JsonNode price = Json.MAPPER.readTree(admin(second, "GET", "/api/admin/prices/gpt-4o-mini", null).body());
            assertThat(price.get("per_call").decimalValue()).isEqualByComparingTo("0.5");

            assertThat(second.post("/v1/chat/completions", key("edits-restarter"), CHAT).statusCode()).isEqualTo(200);
            assertThat(added.requests()).hasSize(1);
            assertThat(upstream.requests()).as("the channel the admin disabled").isEmpty();
        }
    }

    private static JsonNode channel(GatewayHarness gw, String name) {
        JsonNode list = Json.MAPPER.readTree(admin(gw, "GET", "/api/admin/channels", null).body()).get("data");
        for (JsonNode channel : list) {
            if (channel.get("name").asString().equals(name)) {
                return channel;
            }
        }
        throw new AssertionError("channel " + name + " not listed: " + list);
    }

    private static HttpResponse<String> admin(GatewayHarness gw, String method, String path, String body) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

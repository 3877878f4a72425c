package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.FakeReply;
import dev.antler.testing.SuiteSecrets;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code logging.access_log: FILE} in a gateway process: one line per request in that file (JSON with
 * {@code logging.format: json}, text otherwise), with its method, path without the query, status, bytes, duration,
 * request id and key id, and never the key.
 */
class AccessLogTest {

    private static final String ADMIN_KEY = "sk-admin-access-log-0123456789";
    private static final String KEY = "sk-access-log-user-0123456789";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyRequestIsOneJsonLineWithItsKeyIdAndNeverTheKey() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            upstream.always(FakeReply.ok().usage(20, 5, 0));
            Path directory = Files.createTempDirectory("antler-access-log-");
            Path accessLog = directory.resolve("access.log");
            int port = freePort();
            Path config = writeConfig(directory, upstream.baseUrl(), port, "json", accessLog);
            Path output = GatewayProcess.outputFile("access-log");
            List<String> ids = new ArrayList<>();
            try (GatewayProcess gateway = GatewayProcess.start(config, output, port, ADMIN_KEY)) {
                HttpResponse<String> chat = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                                + "/v1/chat/completions")).header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}""")).build());
                HttpResponse<String> quota = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/user/quota?key=" + KEY)).GET().build());
                HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/v1/models")).header("Authorization", "Bearer sk-not-a-known-key-0000").GET().build());
                for (HttpResponse<String> answer : List.of(chat, quota, refused)) {
                    ids.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
                }
                assertThat(List.of(chat.statusCode(), quota.statusCode(), refused.statusCode()))
                        .containsExactly(200, 200, 401);

                String userId = admin(gateway, "/api/admin/users").path("data").path(0).path("id").asString();
                String keyId = admin(gateway, "/api/admin/users/" + userId + "/keys").path("data").path(0)
                        .path("id").asString();
                JsonNode chatLine = awaitLine(accessLog, ids.get(0));
                assertThat(chatLine.path("method").asString()).isEqualTo("POST");
                assertThat(chatLine.path("path").asString()).isEqualTo("/v1/chat/completions");
                assertThat(chatLine.path("status").asInt()).isEqualTo(200);
                assertThat(chatLine.path("bytes").asLong()).isEqualTo(chat.body().length());
                assertThat(chatLine.path("duration_ms").asLong()).isNotNegative();
                assertThat(chatLine.path("key_id").asString()).isEqualTo(keyId);
                assertThat(chatLine.path("time").asString()).isNotEmpty();
                assertThat(awaitLine(accessLog, ids.get(1)).path("path").asString()).isEqualTo("/user/quota");
                JsonNode refusedLine = awaitLine(accessLog, ids.get(2));
                assertThat(refusedLine.path("status").asInt()).isEqualTo(401);
                assertThat(refusedLine.path("key_id").isNull()).isTrue();
                assertThat(gateway.stop()).isIn(0, 143);
            }
            String written = Files.readString(accessLog);
            assertThat(written).doesNotContain(KEY).doesNotContain("sk-not-a-known-key").doesNotContain("key=");
            assertThat(Files.readString(output)).as("the access lines go to their file only")
                    .doesNotContain("\"duration_ms\"");
        }
    }

    /** The access log's line of request {@code requestId}, once written (10 s at most). */
    private static JsonNode awaitLine(Path file, String requestId) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
                JsonNode node = Json.MAPPER.readTree(line); // every line is one JSON object
                if (node.path("request_id").asString().equals(requestId)) {
                    return node;
                }
            }
            assertThat(System.currentTimeMillis()).as("a line for " + requestId).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private JsonNode admin(GatewayProcess gateway, String path) throws Exception {
        return Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY).build()).body());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Path writeConfig(Path dir, String upstream, int port, String format, Path accessLog)
            throws IOException {
        SuiteSecrets.record(ADMIN_KEY);
        SuiteSecrets.record(KEY);
        SuiteSecrets.record("sk-upstream-access-log-0001");
        Path config = dir.resolve("antler.yaml");
        Files.writeString(config, """
                server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                database: { url: "jdbc:sqlite:%s" }
                admin: { key: "%s" }
                logging: { format: %s, access_log: "%s" }
                health: { test_interval_seconds: 0 }
                security: { allow_private_base_urls: true }
                prices: { gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 } }
                channels:
                  - { name: live, base_url: "%s", key: sk-upstream-access-log-0001, models: [gpt-4o-mini] }
                users:
                  - { name: visitor, balance: 100, keys: [{ key: %s }] }
                """.formatted(port, dir.resolve("antler.db"), ADMIN_KEY, format, accessLog, upstream, KEY));
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayProcess;
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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code logging.format: json} in a gateway process: every log line is one JSON object, and the lines a request
 * causes (here a failed first attempt, logged at DEBUG as {@code logging.levels} allows, on a connection that
 * fails after the request handler returned) carry that request's id — each its own, though two event loops
 * serve them all in turn.
 */
class JsonLogsTest {

    private static final String ADMIN_KEY = "sk-admin-json-logs-0123456789";
    private static final String KEY = "sk-json-logs-user-0123456789";
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Hello"}]}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyLineIsJsonAndCarriesTheIdOfTheRequestThatCausedIt() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            upstream.always(FakeReply.ok().usage(20, 5, 0));
            int port = freePort();
            Path directory = Files.createTempDirectory("antler-json-logs-");
            Path config = writeConfig(directory, upstream.baseUrl(), port, "json");
            Path output = GatewayProcess.outputFile("json-logs");
            List<String> requestIds = new ArrayList<>();
            try (GatewayProcess gateway = GatewayProcess.start(config, output, port, ADMIN_KEY)) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> answer = chat(gateway.baseUrl());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    requestIds.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
                }
                assertThat(gateway.stop()).isIn(0, 143);
            }

            List<String> lines = Files.readAllLines(output);
            List<JsonNode> logLines = new ArrayList<>();
            for (String line : lines) {
                assertThat(line).as("a text log line in JSON mode").doesNotMatch("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} .*");
                if (line.startsWith("{")) {
                    JsonNode node = Json.MAPPER.readTree(line);
                    assertThat(node.path("time").asString()).isNotEmpty();
                    assertThat(node.path("level").asString()).isNotEmpty();
                    assertThat(node.path("logger").asString()).isNotEmpty();
                    logLines.add(node);
                }
            }
            assertThat(logLines).as(String.join("\n", lines)).isNotEmpty();
            Map<String, List<String>> failedAttempts = logLines.stream()
                    .filter(n -> n.path("message").asString().startsWith("attempt 1 on dead failed"))
                    .collect(Collectors.groupingBy(n -> n.path("request_id").asString(),
                            Collectors.mapping(n -> n.path("message").asString(), Collectors.toList())));
            assertThat(failedAttempts).as(String.join("\n", lines)).isNotEmpty();
            assertThat(failedAttempts.keySet()).containsExactlyInAnyOrderElementsOf(requestIds);
            failedAttempts.values().forEach(messages -> assertThat(messages).hasSize(1));
            assertThat(logLines.stream().filter(n -> n.path("message").asString().startsWith("Antler listening")))
                    .allSatisfy(n -> assertThat(n.has("request_id")).isFalse());
        }
    }

    @Test
    void theTextFormatCarriesTheRequestIdInBrackets() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            upstream.always(FakeReply.ok().usage(20, 5, 0));
            int port = freePort();
            Path config = writeConfig(Files.createTempDirectory("antler-text-logs-"), upstream.baseUrl(), port, "text");
            Path output = GatewayProcess.outputFile("text-logs");
            String requestId;
            try (GatewayProcess gateway = GatewayProcess.start(config, output, port, ADMIN_KEY)) {
                requestId = chat(gateway.baseUrl()).headers().firstValue("X-Request-Id").orElseThrow();
                assertThat(gateway.stop()).isIn(0, 143);
            }
            List<String> lines = Files.readAllLines(output);
            assertThat(lines).as(String.join("\n", lines))
                    .anyMatch(l -> l.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} DEBUG dev\\.antler\\.relay\\.RelayCall \\["
                            + requestId + "] - attempt 1 on dead failed.*"))
                    .anyMatch(l -> l.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  dev\\.antler\\.app\\.Gateway - Antler listening.*"));
        }
    }

    private HttpResponse<String> chat(String baseUrl) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path writeConfig(Path dir, String upstream, int port, String format) throws IOException {
        SuiteSecrets.record(ADMIN_KEY);
        SuiteSecrets.record(KEY);
        SuiteSecrets.record("sk-upstream-json-logs-0001");
        Path config = dir.resolve("antler.yaml");
        Files.writeString(config, """
                server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                database: { url: "jdbc:sqlite:%s" }
                admin: { key: "%s" }
                logging: { format: %s, levels: { dev.antler.relay: DEBUG } }
                health: { test_interval_seconds: 0 }
                security: { allow_private_base_urls: true }
                prices: { gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 } }
                channels:
                  - { name: dead, base_url: "%s", key: sk-upstream-json-logs-0001, models: [gpt-4o-mini], priority: 10 }
                  - { name: live, base_url: "%s", key: sk-upstream-json-logs-0001, models: [gpt-4o-mini] }
                users:
                  - { name: logger, balance: 100, keys: [{ key: %s }] }
                """.formatted(port, dir.resolve("antler.db"), ADMIN_KEY, format, FakeOpenAi.refusingUrl(), upstream, KEY));
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

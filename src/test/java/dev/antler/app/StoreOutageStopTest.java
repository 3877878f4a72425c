package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.DeadLetters;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.SmallDisk;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop while the disk is full: the settlements the store could not take go to the dead-letter
 * file (written into the space its reserve gave up), and the next start applies them before it serves, so
 * every request answered 200 has its usage row and balance == opening − Σ usage == Σ ledger.
 */
class StoreOutageStopTest {

    private static final String ADMIN_KEY = "sk-admin-outage-stop-0123456789";
    private static final String KEY = "sk-outage-stop-user-0123456789";
    private static final long OPENING = 100_000_000_000L;
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Hello"}]}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aStopDuringTheOutageKeepsEveryChargeForTheNextStart() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(48); FakeOpenAi upstream = FakeOpenAi.start()) {
            upstream.always(FakeReply.ok().usage(200, 40, 0));
            int port = freePort();
            Path config = writeConfig(disk.path(), upstream.baseUrl(), port);
            Path output = GatewayProcess.outputFile("outage-stop");
            Set<String> answered = new HashSet<>();
            try (GatewayProcess gateway = GatewayProcess.start(config, output, port, ADMIN_KEY)) {
                for (int i = 0; i < 5; i++) {
                    answered.add(chat(gateway.baseUrl()));
                }
                disk.fill();
                for (int i = 0; i < 30; i++) {
                    answered.add(chat(gateway.baseUrl()));
                }
                assertThat(gateway.stop()).as(gateway.log()).isIn(0, 143);
                assertThat(gateway.log()).contains("moved to");
            }
            Path deadLetters = disk.path().resolve("ledger-dead-letters.jsonl");
            assertThat(new DeadLetters(deadLetters, 0).count()).as("entries left by the stop").isPositive();
            disk.free();

            try (GatewayProcess restarted = GatewayProcess.start(config, output, port, ADMIN_KEY)) {
                assertThat(restarted.stop()).isIn(0, 143);
            }
            assertThat(new DeadLetters(deadLetters, 0).count()).as("entries left after the restart").isZero();
            try (Database database = Database.open(new DatabaseConfig("jdbc:sqlite:" + disk.path().resolve("antler.db"),
                    null, null, 2))) {
                List<String> rows = database.jdbi().withHandle(h -> h.createQuery("SELECT request_id FROM usage_logs")
                        .mapTo(String.class).list());
                assertThat(rows).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(answered);
                long usage = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT SUM(cost_nanos) FROM usage_logs").mapTo(Long.class).one());
                long balance = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT balance_nanos FROM users WHERE name = 'stopper'").mapTo(Long.class).one());
                long ledger = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT SUM(amount_nanos) FROM ledger").mapTo(Long.class).one());
                assertThat(usage).isPositive();
                assertThat(balance).isEqualTo(OPENING - usage).isEqualTo(ledger);
            }
        }
    }

    /** One chat request; returns its request id (it must be answered 200). */
    private String chat(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("X-Request-Id").orElseThrow();
    }

    private static Path writeConfig(Path dir, String upstream, int port) throws IOException {
        SuiteSecrets.record(ADMIN_KEY);
        SuiteSecrets.record(KEY);
        SuiteSecrets.record("sk-upstream-outage-0001");
        Path config = Files.createTempDirectory("antler-outage-stop-").resolve("antler.yaml");
        Files.writeString(config, """
                server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                database: { url: "jdbc:sqlite:%s" }
                admin: { key: "%s" }
                billing: { flush_interval_ms: 20, max_unwritten_age_ms: 600000, stop_wait_ms: 1000, dead_letter_reserve_bytes: 1048576 }
                security: { allow_private_base_urls: true }
                prices: { gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 } }
                channels: [{ name: up, base_url: "%s", key: sk-upstream-outage-0001, models: [gpt-4o-mini] }]
                users:
                  - { name: stopper, balance: 100, keys: [{ key: %s }] }
                """.formatted(port, dir.resolve("antler.db"), ADMIN_KEY, upstream, KEY));
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

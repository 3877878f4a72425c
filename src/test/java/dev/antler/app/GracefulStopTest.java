package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.ConfigLoader;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DESIGN invariant 8: acknowledged usage is not lost on a graceful stop. */
class GracefulStopTest {

    private static final String CHAT = """
            {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,
            "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""";

    private Vertx vertx;
    private HttpServer upstream;
    private Path directory;

    @BeforeEach
    void startUpstream() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(b -> req.response()
                        .putHeader("Content-Type", "application/json").end(CHAT)))
                .listen(0).await(5, TimeUnit.SECONDS);
        directory = Files.createTempDirectory("antler-stop-");
    }

    @AfterEach
    void stopUpstream() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void everySettledChargeIsWrittenWhenTheGatewayStops() throws Exception {
        String dbUrl = "jdbc:sqlite:" + directory.resolve("antler.db");
        String yaml = """
                server: { port: 0, event_loops: 2 }
                database: { url: "%s" }
                admin: { key: sk-admin-stop-test-0000 }
                billing: { flush_interval_ms: 60000, flush_batch_size: 1000000 }
                security: { allow_private_base_urls: true }
                channels: [{ name: up, base_url: "http://127.0.0.1:%d", key: sk-up, models: [gpt-4o-mini] }]
                users: [{ name: alice, balance: 10, keys: [{ key: sk-alice-stop-test-0001 }] }]
                """.formatted(dbUrl, upstream.actualPort());
        Gateway gateway = Gateway.start(new ConfigLoader(k -> null).parse(yaml), Clock.systemUTC());
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                                    + "/v1/chat/completions"))
                            .header("Authorization", "Bearer sk-alice-stop-test-0001")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        // With a 60 s flush interval nothing after the first batch is written yet; close() must write it all.
        gateway.close();

        try (Database database = Database.open(new DatabaseConfig(dbUrl, null, null, 2))) {
            var jdbi = database.jdbi();
            long rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_logs").mapTo(Long.class).one());
            assertThat(rows).isEqualTo(30);
            long balance = jdbi.withHandle(h -> h.createQuery("SELECT balance_nanos FROM users WHERE name = 'alice'")
                    .mapTo(Long.class).one());
            long ledger = jdbi.withHandle(h -> h.createQuery("SELECT SUM(amount_nanos) FROM ledger")
                    .mapTo(Long.class).one());
            assertThat(balance).isEqualTo(10_000_000_000L - 30 * 2_700L).isEqualTo(ledger);
        }
    }
}

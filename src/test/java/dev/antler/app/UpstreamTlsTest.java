package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.SuiteSecrets;
import dev.antler.testing.TlsFront;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A channel whose upstream speaks HTTPS with a certificate of the operator's own CA, added the way the README says
 * (the JDK's trust-store property in the gateway's JVM flags): the request is relayed over TLS and charged, and the
 * upstream sees the channel's key, never the client's.
 */
class UpstreamTlsTest {

    private static final String ADMIN_KEY = "sk-admin-upstream-tls-0123456789";
    private static final String KEY = "sk-upstream-tls-user-0123456789";
    private static final String CHANNEL_KEY = "sk-upstream-tls-channel-0001";

    @Test
    void anHttpsUpstreamWithATrustedPrivateCaIsRelayedTo() throws Exception {
        SuiteSecrets.record(ADMIN_KEY);
        SuiteSecrets.record(KEY);
        SuiteSecrets.record(CHANNEL_KEY);
        try (FakeOpenAi upstream = FakeOpenAi.start();
             TlsFront front = TlsFront.to(Integer.parseInt(upstream.baseUrl().replaceAll(".*:", "")))) {
            upstream.always(FakeReply.ok().content("over TLS").usage(20, 5, 0));
            Path directory = Files.createTempDirectory("antler-upstream-tls-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = directory.resolve("antler.yaml");
            Files.writeString(config, """
                    server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                    database: { url: "jdbc:sqlite:%s" }
                    admin: { key: "%s" }
                    health: { test_interval_seconds: 0 }
                    security: { allow_private_base_urls: true }
                    prices: { gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 } }
                    channels:
                      - { name: tls, base_url: "https://127.0.0.1:%d", key: %s, models: [gpt-4o-mini] }
                    users:
                      - { name: visitor, balance: 100, keys: [{ key: %s }] }
                    """.formatted(port, directory.resolve("antler.db"), ADMIN_KEY, front.port(), CHANNEL_KEY, KEY));
            List<String> trust = List.of("-Djavax.net.ssl.trustStore=" + front.trustStore("changeit"),
                    "-Djavax.net.ssl.trustStorePassword=changeit");
            try (GatewayProcess gateway = GatewayProcess.start(config, GatewayProcess.outputFile("upstream-tls"), port,
                    ADMIN_KEY, trust)) {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                                + "/v1/chat/completions")).header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}""")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
                assertThat(chat.body()).contains("over TLS");
                assertThat(upstream.onlyRequest().header("Authorization")).isEqualTo("Bearer " + CHANNEL_KEY);
            }
        }
    }
}

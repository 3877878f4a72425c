package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.LeakScanLast;
import dev.antler.testing.RawHttp;
import dev.antler.testing.SuiteSecrets;
import dev.antler.testing.TestUsers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No key, client or upstream, in any log line, error or admin listing. Runs after every other test
 * class ({@link LeakScanLast}) and searches everything the gateway logged during the suite (debug
 * included, see logback-test.xml), and what gateway processes started by tests wrote, for every key the
 * suite used, and for any generated key at all.
 */
@LeakScanLast.RunsLast
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogLeakScanTest {

    private static final Path SUITE_LOG = Path.of("target/test-logs/suite.log");
    /** A key made by the gateway: sk- and 48 random letters and digits (admin: sk-admin-...). */
    private static final Pattern GENERATED = Pattern.compile("sk-(admin-)?[A-Za-z0-9]{40,}");
    private static final String UPSTREAM_KEY = "sk-upstream-leaky-0123456789";
    private static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    @Test
    @Order(1)
    void errorsAndAdminListingsNeverShowAKey() {
        try (FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gw = GatewayHarness.start("""
                     channels: [{ name: leaky, base_url: "%s", key: %s, models: [gpt-4o-mini] }]
                     users:
                     %s""".formatted(upstream.baseUrl(), UPSTREAM_KEY, TestUsers.yaml("scanned")))) {
            // An upstream that echoes the key it was sent, as OpenAI's 401 does.
            upstream.enqueue(FakeReply.error(401, "invalid_request_error", "invalid_api_key",
                    "Incorrect API key provided: " + UPSTREAM_KEY + ". You can find your API key at ..."));
            HttpResponse<String> refused = RawHttp.post(gw, "/v1/chat/completions", TestUsers.key("scanned"), CHAT);
            assertThat(refused.statusCode()).isGreaterThanOrEqualTo(400);
            assertThat(refused.body()).doesNotContain(UPSTREAM_KEY);

            String wrongKey = "sk-not-a-real-key-but-secret-0001";
            HttpResponse<String> unknown = RawHttp.post(gw, "/v1/chat/completions", wrongKey, CHAT);
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(unknown.body()).doesNotContain(wrongKey);

            HttpResponse<String> created = admin(gw, "POST", "/api/admin/users/1/keys", "{\"name\": \"scan\"}");
            Matcher plain = GENERATED.matcher(created.body());
            assertThat(plain.find()).as("the new key is shown once: %s", created.body()).isTrue();
            SuiteSecrets.record(plain.group());
            admin(gw, "POST", "/api/admin/channels", """
                    {"name": "second", "base_url": "https://8.8.8.8", "key": "sk-upstream-admin-added-0001"}""");
            SuiteSecrets.record("sk-upstream-admin-added-0001");
            gw.awaitLedger();
            for (String listing : List.of("/api/admin/channels", "/api/admin/users/1/keys", "/api/admin/keys/1",
                    "/api/admin/users", "/api/admin/logs", "/api/admin/channels/1")) {
                String body = admin(gw, "GET", listing, null).body();
                for (String secret : SuiteSecrets.all()) {
                    assertThat(body).as("GET %s", listing).doesNotContain(secret);
                }
                assertThat(GENERATED.matcher(body).find()).as("GET %s: %s", listing, body).isFalse();
            }
        }
    }

    @Test
    @Order(2)
    void theSuiteLogHoldsNoKey() throws IOException {
        assertThat(SUITE_LOG).exists();
        String log = Files.readString(SUITE_LOG, StandardCharsets.UTF_8) + processLogs();
        assertThat(log).as("the suite wrote a log").contains("Antler listening on");
        List<String> secrets = new ArrayList<>(SuiteSecrets.all());
        assertThat(secrets).contains(GatewayHarness.ADMIN_KEY, UPSTREAM_KEY);
        List<String> leaks = new ArrayList<>();
        for (String line : log.split("\n")) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    leaks.add(secret + " in: " + line);
                }
            }
            if (GENERATED.matcher(line).find()) {
                leaks.add("a generated key in: " + line);
            }
        }
        assertThat(leaks).as("%d keys searched in %d log lines", secrets.size(), log.lines().count()).isEmpty();
    }

    /** What gateways run as separate processes during this JVM's run wrote (CrashAndStopTest). */
    private static String processLogs() throws IOException {
        long started = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(SUITE_LOG.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("process-")).toList()) {
                if (Files.getLastModifiedTime(file).toMillis() >= started) {
                    all.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return all.toString();
    }

    private static HttpResponse<String> admin(GatewayHarness gw, String method, String path, String json) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build());
    }
}

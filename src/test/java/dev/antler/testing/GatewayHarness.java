package dev.antler.testing;

import dev.antler.app.Gateway;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ConfigLoader;
import dev.antler.family.Families;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Starts the real gateway on a free port over a fresh SQLite file, from a YAML config, for
 * integration tests over real sockets. The fake upstreams listen on loopback, so the default
 * {@code security} section allows private base URLs. Close it to stop the gateway (gracefully) and delete the store.
 *
 * <pre>{@code
 * try (GatewayHarness gw = GatewayHarness.start("""
 *         channels: [{ name: up, base_url: "%s", key: sk-up, models: [gpt-4o-mini] }]
 *         users: [{ name: alice, balance: 10, keys: [{ key: sk-alice-test-0001 }] }]
 *         """.formatted(upstream.baseUrl()))) {
 *     gw.post("/v1/chat/completions", "sk-alice-test-0001", "{...}");
 * }
 * }</pre>
 */
public final class GatewayHarness implements AutoCloseable {

    public static final String ADMIN_KEY = "sk-admin-test-key-0123456789";

    private final Gateway gateway;
    private final Path directory;
    /** This gateway's upstreams' {@code host:port}s, for the answer leak scan. */
    private final java.util.Set<String> upstreams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final HttpClient http = SuiteAnswers.recording(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), upstreams);

    private GatewayHarness(Gateway gateway, Path directory) {
        this.gateway = gateway;
        this.directory = directory;
        gateway.admin().registry().all().forEach(c -> SuiteAnswers.upstream(c.apiKey(), c.baseUrl(), upstreams));
    }

    /**
     * Starts a gateway from {@code yaml}; the server, database, admin and billing sections are filled in
     * unless given. A section given replaces the default one whole: a test that sets {@code server:}
     * must say {@code port: 0} itself.
     */
    public static GatewayHarness start(String yaml) {
        return start(yaml, Map.of());
    }

    public static GatewayHarness start(String yaml, Map<String, String> env) {
        return start(yaml, env, Clock.systemUTC());
    }

    /** A gateway on {@code clock}, e.g. a {@link ManualClock} to pass timeouts without sleeping. */
    public static GatewayHarness start(String yaml, Clock clock) {
        return start(yaml, Map.of(), clock);
    }

    /** With {@code clock} as the gateway's time (limits, timestamps): tests move it instead of sleeping. */
    public static GatewayHarness start(String yaml, Map<String, String> env, Clock clock) {
        return start(yaml, env, clock, Families.builtIn());
    }

    /** A gateway with {@code families} mounted instead of the built-in ones (e.g. those plus a test family). */
    public static GatewayHarness start(String yaml, Clock clock, Families families) {
        return start(yaml, Map.of(), clock, families);
    }

    private static GatewayHarness start(String yaml, Map<String, String> env, Clock clock, Families families) {
        try {
            Path directory = Files.createTempDirectory("antler-test-");
            String base = """
                    server: { port: 0, event_loops: 2 }
                    database: { url: "jdbc:sqlite:%s" }
                    admin: { key: "%s" }
                    billing: { flush_interval_ms: 20, dead_letter_reserve_bytes: 0 }
                    security: { allow_private_base_urls: true }
                    """.formatted(directory.resolve("antler.db"), ADMIN_KEY);
            String merged = merge(base, yaml);
            recordSecrets(merged, env);
            try {
                AntlerConfig config = new ConfigLoader(env::get).parse(merged);
                return new GatewayHarness(Gateway.start(config, clock, families), directory);
            } catch (RuntimeException e) {
                deleteQuietly(directory);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys in a config and its environment, for the log leak scan. */
    private static void recordSecrets(String yaml, Map<String, String> env) {
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("\\bkey:\\s*\"?([^\\s\",}]+)").matcher(yaml);
        while (keys.find()) {
            SuiteSecrets.record(keys.group(1).startsWith("${") ? null : keys.group(1));
        }
        env.values().forEach(SuiteSecrets::record);
    }

    /** Top-level sections in {@code yaml} replace those of {@code base}. */
    private static String merge(String base, String yaml) {
        StringBuilder out = new StringBuilder();
        for (String line : base.split("\n")) {
            String section = line.substring(0, line.indexOf(':'));
            if (!yaml.lines().anyMatch(l -> l.startsWith(section + ":"))) {
                out.append(line).append('\n');
            }
        }
        return out.append(yaml).toString();
    }

    public Gateway gateway() {
        return gateway;
    }

    public int port() {
        return gateway.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> post(String path, String key, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> get(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + key).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        request.headers().firstValue("Authorization").ifPresent(SuiteSecrets::record);
        request.headers().firstValue("x-api-key").ifPresent(SuiteSecrets::record);
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every settled charge has been written to the store. */
    public void awaitLedger() {
        gateway.ledger().flushed().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        gateway.close();
        deleteQuietly(directory);
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp directory
        }
    }
}

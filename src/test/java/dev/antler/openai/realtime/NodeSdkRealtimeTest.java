package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import dev.antler.testing.TlsFront;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official {@code openai} Node SDK's realtime WebSocket client ({@code openai/realtime/ws}, with {@code ws}),
 * unchanged but for its base URL and key, run by {@code node} as a child process against the gateway: a text turn
 * and an audio turn, each billed exactly from the usage its {@code response.done} reported to the SDK.
 *
 * <p>The packages are not vendored: {@code src/test/node/realtime/package-lock.json} pins their exact versions and
 * integrity hashes, and {@code npm ci} installs them into {@code target/node-realtime} when the test runs (once per
 * lock file). The SDK always dials {@code wss://}, so the gateway is reached through a {@link TlsFront}, as it
 * would be behind a TLS-terminating proxy. Skipped, saying why, without node and npm or without the npm registry.
 */
class NodeSdkRealtimeTest {

    private static final Path SOURCE = Path.of("src/test/node/realtime");
    private static final Path INSTALL = Path.of("target/node-realtime");
    private static final String AUDIO_USAGE = """
            {"total_tokens":1000,"input_tokens":700,"output_tokens":300,
             "input_token_details":{"text_tokens":100,"audio_tokens":600,"image_tokens":0,"cached_tokens":128,
               "cached_tokens_details":{"text_tokens":64,"audio_tokens":64,"image_tokens":0}},
             "output_token_details":{"text_tokens":20,"audio_tokens":280}}""";

    @Test
    void theNodeSdksRealtimeClientHoldsATextAndAnAudioTurnBilledFromTheirUsage() throws Exception {
        Path script = install();
        try (FakeRealtime upstream = FakeRealtime.start();
             GatewayHarness gw = GatewayHarness.start("""
                     channels:
                       - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0004, models: [gpt-realtime] }
                     users:
                     %s""".formatted(upstream.baseUrl(), TestUsers.yaml("node")));
             TlsFront front = TlsFront.to(gw.port())) {
            upstream.audioUsage = AUDIO_USAGE;
            List<ObjectNode> lines = run(script, Map.of("GATEWAY_BASE_URL", "https://127.0.0.1:" + front.port() + "/v1",
                    "GATEWAY_KEY", key("node"), "NODE_EXTRA_CA_CERTS", front.caPem().toString()));
            assertThat(lines).as("the script's report").hasSize(3);
            ObjectNode text = lines.get(0);
            ObjectNode audio = lines.get(1);
            assertThat(text.path("text").asString()).isEqualTo("Hello from realtime!");
            assertThat(text.path("status").asString()).isEqualTo("completed");
            assertThat(audio.path("audioChunks").asInt()).isEqualTo(3);
            assertThat(lines.get(2).path("closed").asInt()).isEqualTo(1000);

            StoreView store = new StoreView(gw);
            List<UsageRow> rows = store.awaitUsage("node", 3);
            long textCost = priced(text.path("usage"));
            long audioCost = priced(audio.path("usage"));
            assertThat(textCost).isEqualTo(6_965_600L);
            assertThat(audioCost).isEqualTo(36 * 4_000L + 64 * 400L + 536 * 32_000L + 64 * 400L + 20 * 16_000L
                    + 280 * 64_000L);
            assertThat(rows).extracting(UsageRow::costNanos).containsExactly(textCost, audioCost, 0L);
            assertThat(rows.get(1).promptTokens()).isEqualTo(700);
            assertThat(rows.get(1).completionTokens()).isEqualTo(300);
            assertThat(rows.get(2).endReason()).isEqualTo("complete");
            assertThat(store.balance("node")).isEqualTo(10_000_000_000L - textCost - audioCost)
                    .isEqualTo(store.ledgerSum("node"));
            assertThat(upstream.upgrades().getFirst().headers().get("Authorization"))
                    .isEqualTo("Bearer sk-upstream-realtime-key-0004");
            assertThat(upstream.appends()).isEqualTo(2);
        }
    }

    /**
     * What a {@code response.done} usage costs at gpt-realtime's list prices, worked out here on its own (nanos per
     * token = USD per million tokens x 1000): text 4.00 / 16.00 / cached 0.40, audio 32.00 / 64.00 / cached 0.40.
     */
    private static long priced(JsonNode usage) {
        JsonNode in = usage.path("input_token_details");
        JsonNode cached = in.path("cached_tokens_details");
        JsonNode out = usage.path("output_token_details");
        long cachedText = cached.path("text_tokens").asLong();
        long cachedAudio = cached.path("audio_tokens").asLong();
        return (in.path("text_tokens").asLong() - cachedText) * 4_000L + cachedText * 400L
                + (in.path("audio_tokens").asLong() - cachedAudio) * 32_000L + cachedAudio * 400L
                + out.path("text_tokens").asLong() * 16_000L + out.path("audio_tokens").asLong() * 64_000L;
    }

    /** The script in {@link #INSTALL} with its packages installed from the lock file; skips when that cannot be. */
    private static Path install() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node and npm are not on the PATH: the openai Node"
                + " SDK's realtime client cannot be run (install Node.js 20 or later to include this test)");
        Files.createDirectories(INSTALL);
        Path lock = SOURCE.resolve("package-lock.json");
        Path installedLock = INSTALL.resolve("node_modules/.antler-lock.json");
        boolean current = Files.exists(installedLock) && Files.mismatch(lock, installedLock) == -1;
        for (String file : List.of("package.json", "package-lock.json", "turns.mjs")) {
            Files.copy(SOURCE.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!current) {
            Process npm = new ProcessBuilder("npm", "ci", "--prefix", INSTALL.toString(), "--ignore-scripts",
                    "--no-audit", "--no-fund").redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes());
            boolean done = npm.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                npm.destroyForcibly();
            }
            boolean offline = output.matches("(?s).*(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH).*");
            Assumptions.assumeFalse(offline, "the npm registry cannot be reached, so the pinned openai and ws"
                    + " packages cannot be installed: " + output.strip());
            assertThat(done && npm.exitValue() == 0).as("npm ci: %s", output).isTrue();
            Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
        }
        return INSTALL.resolve("turns.mjs");
    }

    private static List<ObjectNode> run(Path script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", script.getFileName().toString())
                .directory(script.getParent().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        Process node = builder.start();
        String output = new String(node.getInputStream().readAllBytes());
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node did not end within 60 s: " + output);
        }
        assertThat(node.exitValue()).as("node's exit, having printed: %s", output).isZero();
        return output.lines().map(line -> Json.objectOrNull(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toList();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}

package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayProcess;
import dev.antler.testing.SuiteSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN invariant 11 with a real process capped at 256 MB of heap: fifty 16 MiB bodies from a key that
 * cannot pay, then fifty from one that can, while a small chat keeps being served. The process stays up,
 * answers every request, and its live heap afterwards is what it was before.
 */
class BodyFloodTest {

    private static final String ADMIN_KEY = "sk-admin-flood-test-0123456789";
    private static final String BROKE = "sk-flood-broke-0001";
    private static final String RICH = "sk-flood-rich-0001";
    private static final String SMALL = "sk-flood-small-0001";
    private static final int CLIENTS = 50;
    private static final int BODY_BYTES = 16 * 1024 * 1024 - 1024;
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":5,"messages":[{"role":"user","content":"Hello"}]}""";
    private static final String ANSWER = """
            {"id":"chatcmpl-flood","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,\
            "message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aHeapCappedGatewayAnswersEveryHugeBodyKeepsServingAndReturnsToItsHeap(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS + 2);
        try {
            HttpServer upstream = drainingUpstream(vertx);
            int port = freePort();
            Path output = GatewayProcess.outputFile("flood");
            try (GatewayProcess gateway = GatewayProcess.start(writeConfig(dir, upstream.actualPort(), port), output,
                    port, ADMIN_KEY)) {
                assertThat(chat(gateway)).isEqualTo(200);
                long before = liveHeapKiB(gateway);
                byte[] body = hugeChat();

                AtomicBoolean flooding = new AtomicBoolean(true);
                CompletableFuture<List<Integer>> small = CompletableFuture.supplyAsync(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    while (flooding.get()) {
                        statuses.add(chat(gateway));
                    }
                    return statuses;
                }, clients);
                Map<String, Integer> refused = flood(gateway, BROKE, body, clients);
                Map<String, Integer> paid = flood(gateway, RICH, body, clients);
                flooding.set(false);

                assertThat(gateway.alive()).as("the gateway process is up; its log: %s", gateway.log()).isTrue();
                assertThat(refused).as("the key without balance").containsOnlyKeys("403");
                assertThat(paid.keySet()).as("the key with balance").isSubsetOf("200", "503");
                assertThat(small.get(60, TimeUnit.SECONDS)).isNotEmpty().containsOnly(200);
                assertThat(chat(gateway)).isEqualTo(200);
                long after = liveHeapKiB(gateway);
                System.out.printf("body flood: live heap %d KiB before, %d KiB after; refused %s, paid %s%n",
                        before, after, refused, paid);
                assertThat(after).as("live heap after (KiB), before: %d", before).isLessThan(before + 16 * 1024);
                assertThat(metric(gateway, "inflight_body_bytes")).isZero();
                assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
            }
        } finally {
            clients.shutdownNow();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** {@code CLIENTS} concurrent posts of {@code body}; the count of each answer's status (or failure). */
    private Map<String, Integer> flood(GatewayProcess gateway, String key, byte[] body, ExecutorService clients)
            throws Exception {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> post(gateway, key, body, clients), clients));
        }
        Map<String, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<String> answer : answers) {
            statuses.merge(answer.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        return statuses;
    }

    /**
     * Posts over a plain socket, the body written by another thread, so an answer given before the whole body
     * was sent (then the connection is closed) is read rather than lost in a broken pipe.
     */
    private static String post(GatewayProcess gateway, String key, byte[] body, ExecutorService writers) {
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(gateway.baseUrl().replaceAll(".*:", "")))) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            writers.submit(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // the gateway answered and closed before the whole body was sent
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            for (int b; head.size() < 12 && (b = in.read()) >= 0; ) {
                head.write(b);
            }
            String status = head.toString(StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 ") ? status.substring(9, 12) : "no answer: " + status;
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    private int chat(GatewayProcess gateway) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + SMALL).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The process's heap in use after a full collection, from {@code jcmd GC.heap_info}. */
    private static long liveHeapKiB(GatewayProcess gateway) throws Exception {
        jcmd(gateway, "GC.run");
        String info = jcmd(gateway, "GC.heap_info");
        long used = 0;
        for (String line : info.lines().toList()) {
            Matcher m = Pattern.compile("^ ?(garbage-first heap|DefNew|Tenured).*used (\\d+)K")
                    .matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(2));
            }
        }
        assertThat(used).as("heap figures in: %s", info).isPositive();
        return used;
    }

    private static String jcmd(GatewayProcess gateway, String command) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(gateway.pid()), command).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private long metric(GatewayProcess gateway, String name) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/admin/metrics/memory"))
                .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(body);
        assertThat(m.find()).as("%s in %s", name, body).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A valid chat request of {@code BODY_BYTES}: one long user message. */
    private static byte[] hugeChat() {
        byte[] start = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                .getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\"}]}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'a');
        System.arraycopy(start, 0, body, 0, start.length);
        System.arraycopy(end, 0, body, body.length - end.length, end.length);
        return body;
    }

    /** An OpenAI-shaped upstream that reads and drops each body, then answers one small completion. */
    private static HttpServer drainingUpstream(Vertx vertx) {
        return vertx.createHttpServer().requestHandler(request -> request.handler(chunk -> { })
                .endHandler(v -> request.response().putHeader("Content-Type", "application/json").end(ANSWER)))
                .listen(0, "127.0.0.1").await();
    }

    private static Path writeConfig(Path dir, int upstreamPort, int port) throws IOException {
        SuiteSecrets.record(ADMIN_KEY);
        SuiteSecrets.record("sk-upstream-flood-0001");
        Path config = dir.resolve("antler.yaml");
        Files.writeString(config, """
                server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                database: { url: "jdbc:sqlite:%s" }
                admin: { key: "%s" }
                security: { allow_private_base_urls: true }
                channels: [{ name: up, base_url: "http://127.0.0.1:%d", key: sk-upstream-flood-0001, models: [gpt-4o-mini] }]
                users:
                  - { name: broke, balance: 0, keys: [{ key: %s }] }
                  - { name: rich, balance: 1000, keys: [{ key: %s }] }
                  - { name: small, balance: 10, keys: [{ key: %s }] }
                """.formatted(port, dir.resolve("antler.db"), ADMIN_KEY, upstreamPort, BROKE, RICH, SMALL));
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

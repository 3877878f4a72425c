package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKeys;
import dev.antler.limits.BodyBudget;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.SuiteSecrets;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN invariant 11 in one process: what needs no body is refused before a byte of it is read, bodies
 * in memory share one budget (released on success, refusal and a client gone), and a body or a request
 * head that stalls is dropped.
 */
class BodyMemoryTest {

    private static final String RICH = "sk-bodies-rich-0001";
    private static final String BROKE = "sk-bodies-broke-0001";
    private static final String SINGLE = "sk-bodies-single-0001";
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":5,"messages":[{"role":"user","content":"Hello"}]}""";
    private static final long BUDGET = 1024 * 1024;

    private static FakeOpenAi upstream;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = GatewayHarness.start("""
                server: { port: 0, event_loops: 2, max_inflight_body_bytes: %d, header_read_timeout_ms: 400,
                          body_read_idle_timeout_ms: 400 }
                channels: [{ name: up, base_url: "%s", key: sk-up-bodies, models: [gpt-4o-mini] }]
                users:
                  - { name: rich, balance: 10, keys: [{ key: %s }, { key: %s, max_concurrent: 1 }] }
                  - { name: broke, balance: 0, keys: [{ key: %s }] }
                """.formatted(BUDGET, upstream.baseUrl(), RICH, SINGLE, BROKE));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private static BodyBudget budget() {
        return gateway.gateway().admin().limits().body().inflight();
    }

    @Test
    void aUserWithoutBalanceIsRefusedBeforeTheBodyIsSent() {
        // 16 MiB announced, not a byte sent: the answer cannot have waited for the body.
        String answer = exchange(head("/v1/chat/completions", BROKE, 16 * 1024 * 1024), new byte[0]);
        assertThat(answer).startsWith("HTTP/1.1 403").contains("insufficient_quota").contains("insufficient balance");
        assertThat(budget().inUse()).isZero();
    }

    @Test
    void aKeyAtItsConcurrencyLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
        upstream.enqueue(FakeReply.ok().delay(1500));
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(
                () -> RawHttp.post(gateway, "/v1/chat/completions", SINGLE, CHAT).statusCode());
        awaitInFlight(SINGLE);
        String answer = exchange(head("/v1/chat/completions", SINGLE, 8 * 1024 * 1024), new byte[0]);
        assertThat(answer).startsWith("HTTP/1.1 429").contains("concurrency_limit_exceeded").contains("Retry-After: 1");
        assertThat(slow.get()).isEqualTo(200);
    }

    @Test
    void bodiesPastTheBudgetGet503WithRetryAfterAndEveryPathGivesTheirShareBack() throws Exception {
        try (Socket holder = new Socket("127.0.0.1", gateway.port())) {
            // 900 KiB announced and a little sent, a byte at a time (within the idle timeout): reserved up
            // front while the rest is awaited.
            send(holder, head("/v1/chat/completions", RICH, 900 * 1024), new byte[1000]);
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100 && !holder.isClosed(); i++) {
                        holder.getOutputStream().write(' ');
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the holder is closed
                }
            });
            await(() -> budget().inUse() == 900 * 1024);

            String refused = exchange(head("/v1/chat/completions", RICH, 200 * 1024), new byte[0]);
            assertThat(refused).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                    .contains("\"type\":\"server_error\"").contains("server.max_inflight_body_bytes");
            String anthropic = exchange(head("/v1/messages", RICH, 200 * 1024), new byte[0]);
            assertThat(anthropic).startsWith("HTTP/1.1 503").contains("overloaded_error");
            // Chunked: refused when a chunk would pass the budget.
            String chunked = exchange(chunkedHead("/v1/chat/completions", RICH),
                    ("40000\r\n" + "x".repeat(0x40000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(chunked).startsWith("HTTP/1.1 503");
            assertThat(budget().inUse()).isEqualTo(900 * 1024);
            holder.close();
            trickle.join();
        }
        await(() -> budget().inUse() == 0); // the client went away mid-body

        assertThat(RawHttp.post(gateway, "/v1/chat/completions", RICH, CHAT).statusCode()).isEqualTo(200);
        assertThat(RawHttp.post(gateway, "/v1/chat/completions", RICH, "{\"model\": 1}").statusCode()).isEqualTo(400);
        assertThat(exchange(head("/v1/chat/completions", RICH, 17 * 1024 * 1024), new byte[0]))
                .startsWith("HTTP/1.1 413");
        await(() -> budget().inUse() == 0);
    }

    @Test
    void aMessagesRequestIsCountedAsTheTreeItIsParsedInto() {
        // 300 KB of zeros: a tree node per two bytes, some 12 MB parsed, more than the whole 1 MiB budget.
        String zeros = "0,".repeat(150_000);
        String dense = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"metadata\":{\"z\":[" + zeros
                + "0]},\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        HttpResponse<String> refused = RawHttp.post(gateway, "/v1/messages", RICH, dense);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("request_too_large").contains("once parsed");

        String plain = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(200_000) + "\"}]}";
        assertThat(RawHttp.post(gateway, "/v1/messages", RICH, plain).statusCode()).isEqualTo(200);
        await(() -> budget().inUse() == 0);
    }

    @Test
    void aClientGoneWhileTheUpstreamWorksGivesItsShareBack() {
        upstream.enqueue(FakeReply.ok().delay(3000));
        RawHttp.postAndHangUpWhen(gateway, "/v1/chat/completions", RICH, CHAT, () -> budget().inUse() > 0);
        await(() -> budget().inUse() == 0);
    }

    @Test
    void aBodyThatStallsIsAnswered408AndItsShareReturned() {
        long start = System.nanoTime();
        String answer = exchange(head("/v1/chat/completions", RICH, 5000), new byte[100]);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("server.body_read_idle_timeout_ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 5000L);
        await(() -> budget().inUse() == 0);
    }

    @Test
    void aConnectionThatSendsItsHeadSlowlyIsClosedAtTheDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(100);
            byte[] partial = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(partial);
            long start = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - start < 5_000_000_000L) {
                try {
                    socket.getOutputStream().write('a'); // a byte every 100 ms keeps any idle timeout at bay
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException e) {
                    // nothing yet
                } catch (IOException e) {
                    closed = true; // reset
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).isTrue();
            assertThat(elapsedMs).isBetween(300L, 2000L);
        }
    }

    @Test
    void aKeptAliveConnectionGetsTheSameDeadlineForItsNextHead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            send(socket, "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + RICH + "\r\n\r\n",
                    new byte[0]);
            long start = System.nanoTime();
            String answer = RawHttp.readAll(socket);
            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 3000L);
        }
    }

    private static String head(String path, String key, long contentLength) {
        SuiteSecrets.record(key);
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static String chunkedHead(String path, String key) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    }

    private static String exchange(String head, byte[] body) {
        return RawHttp.exchange(gateway.port(), head, body);
    }

    private static void send(Socket socket, String head, byte[] body) throws IOException {
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }


    private static void awaitInFlight(String key) {
        long id = gateway.gateway().admin().accounts().findKeyByHash(ApiKeys.hash(key)).orElseThrow().id();
        await(() -> gateway.gateway().admin().limits().limiter().inFlight(id) == 1);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s; bodies in flight: " + budget().inUse());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

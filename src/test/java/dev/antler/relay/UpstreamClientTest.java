package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.metrics.UpstreamPools;
import dev.antler.testing.TlsFront;
import io.netty.handler.ssl.SslContextBuilder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's upstream client over real sockets, against an upstream that writes HTTP/1.1 byte for byte (so each
 * framing case is exactly the one named): keep-alive reuse, the connection limit and its waiting line, answers that
 * close, informational heads, bodies delimited by the close, cut bodies, idle connections the upstream closed, and
 * TLS with and without a trusted certificate.
 */
class UpstreamClientTest {

    private Vertx vertx;
    private NetServer upstream;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    /** Requests received and not answered yet, and the most at once: each holds one of the client's connections. */
    private final AtomicInteger answering = new AtomicInteger();
    private final AtomicInteger mostAnswering = new AtomicInteger();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        upstream = vertx.createNetServer().connectHandler(this::serve);
        upstream.listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** Reads requests off one connection and answers each by its path. */
    private void serve(NetSocket socket) {
        connections.incrementAndGet();
        open.incrementAndGet();
        socket.closeHandler(v -> open.decrementAndGet());
        StringBuilder pending = new StringBuilder();
        socket.handler(bytes -> {
            pending.append(bytes.toString(StandardCharsets.ISO_8859_1));
            while (true) {
                int headEnd = pending.indexOf("\r\n\r\n");
                if (headEnd < 0) {
                    return;
                }
                int end = headEnd + 4 + contentLength(pending.substring(0, headEnd));
                if (pending.length() < end) {
                    return;
                }
                String requestLine = pending.substring(0, pending.indexOf("\r\n"));
                String body = pending.substring(headEnd + 4, end);
                pending.delete(0, end);
                answer(socket, requestLine.split(" ")[1], body);
            }
        });
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    private void answer(NetSocket socket, String path, String body) {
        switch (path) {
            case "/ok" -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            case "/echo" -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            case "/close" -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                    .onComplete(v -> socket.close());
            case "/continue" -> socket.write("HTTP/1.1 100 Continue\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            case "/until-close" -> socket.write("HTTP/1.1 200 OK\r\n\r\nall of it")
                    .onComplete(v -> socket.close());
            case "/cut" -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
                    .onComplete(v -> socket.close());
            case "/slow" -> {
                mostAnswering.accumulateAndGet(answering.incrementAndGet(), Math::max);
                vertx.setTimer(150, id -> {
                    answering.decrementAndGet(); // before the answer: the client cannot send again until it has it
                    socket.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
                });
            }
            case "/two-reads" -> socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n")
                    .onComplete(v -> vertx.setTimer(100, id -> socket.write("1\r\nb\r\n0\r\n\r\n")));
            case "/keep-2s" -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=2\r\n\r\nok");
            case "/then-idle-close" -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                    .onComplete(v -> vertx.setTimer(50, id -> socket.close()));
            default -> socket.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    }

    /** What an exchange came to: the status and body, or the failure (and whether the request had gone out). */
    private record Result(int status, String body, Throwable failure, boolean wentOut) {}

    /** Runs one exchange on {@code context} and waits for its whole answer. */
    private static Result call(UpstreamClient client, Context context, UpstreamRequest request) throws Exception {
        CompletableFuture<Result> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            UpstreamExchange exchange = client.exchange(request, 2_000);
            exchange.answer()
                    .onFailure(e -> done.complete(new Result(0, null, e, exchange.wentOut())))
                    .onSuccess(answered -> answered.body().onComplete(body -> done.complete(body.succeeded()
                            ? new Result(answered.status(), body.result().toString(), null, true)
                            : new Result(answered.status(), null, body.cause(), true))));
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private static io.netty.channel.EventLoop loopOf(Context context) {
        return ((io.vertx.core.internal.ContextInternal) context).nettyEventLoop();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + upstream.actualPort() + path;
    }

    private static UpstreamRequest get(String url) {
        return new UpstreamRequest("GET", url, Headers.of(), new UpstreamRequest.Empty());
    }

    @Test
    void aKeptAliveConnectionCarriesTheNextRequests() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Context context = vertx.getOrCreateContext();
        for (int i = 0; i < 5; i++) {
            Result result = call(client, context, UpstreamRequest.post(url("/echo"), Headers.of("X-Try", "" + i),
                    new UpstreamRequest.Bytes(("request " + i).getBytes(StandardCharsets.UTF_8))));
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.body()).isEqualTo("request " + i);
        }
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void pastTheLimitExchangesWaitForAConnectionAndAllAreAnswered() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 2, new UpstreamPools());
        List<CompletableFuture<Result>> results = new ArrayList<>();
        // Both event loops: the limit is counted over all of them.
        for (int i = 0; i < 8; i++) {
            Context context = ((VertxInternal) vertx).createEventLoopContext();
            CompletableFuture<Result> done = new CompletableFuture<>();
            results.add(done);
            context.runOnContext(v -> client.exchange(get(url("/slow")), 2_000).answer()
                    .onFailure(e -> done.complete(new Result(0, null, e, false)))
                    .onSuccess(answered -> answered.body().onSuccess(body ->
                            done.complete(new Result(answered.status(), body.toString(), null, true)))));
        }
        for (CompletableFuture<Result> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow");
        }
        assertThat(mostAnswering.get()).isEqualTo(2);
    }

    @Test
    void atTheLimitAnIdleConnectionOnAnotherLoopGivesWay() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 1, new UpstreamPools());
        Context first = ((VertxInternal) vertx).createEventLoopContext();
        Context second = ((VertxInternal) vertx).createEventLoopContext();
        assertThat(loopOf(second)).as("the other of the two event loops").isNotSameAs(loopOf(first));
        assertThat(call(client, first, get(url("/ok"))).body()).isEqualTo("ok");
        long start = System.nanoTime();
        assertThat(call(client, second, get(url("/ok"))).body()).isEqualTo("ok");
        assertThat(System.nanoTime() - start).as("answered without waiting out the keep-alive time")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(connections.get()).as("the first loop's connection closed, the second opened its own")
                .isEqualTo(2);
    }

    @Test
    void theEndOfEachReadIsToldAfterItsBody() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> client.exchange(get(url("/two-reads")), 2_000).answer()
                .onSuccess(answered -> answered.handler(chunk -> seen.add("chunk " + chunk))
                        .readCompleteHandler(read -> seen.add("read complete"))
                        .endHandler(end -> ended.complete(null))));
        ended.get(10, TimeUnit.SECONDS);
        assertThat(seen).containsSubsequence("chunk a", "read complete", "chunk b");
        assertThat(seen.getLast()).isEqualTo("chunk b");
    }

    @Test
    void anAnswerThatClosesIsNotReused() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Context context = vertx.getOrCreateContext();
        assertThat(call(client, context, get(url("/close"))).body()).isEqualTo("ok");
        assertThat(call(client, context, get(url("/ok"))).body()).isEqualTo("ok");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void anInformationalHeadIsSkipped() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Context context = vertx.getOrCreateContext();
        Result result = call(client, context, get(url("/continue")));
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("ok");
        assertThat(call(client, context, get(url("/ok"))).body()).isEqualTo("ok");
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void aBodyDelimitedByTheCloseIsReadWhole() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Result result = call(client, vertx.getOrCreateContext(), get(url("/until-close")));
        assertThat(result.failure()).isNull();
        assertThat(result.body()).isEqualTo("all of it");
    }

    @Test
    void aBodyCutShortFailsAndTheNextRequestGetsAFreshConnection() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Context context = vertx.getOrCreateContext();
        Result cut = call(client, context, get(url("/cut")));
        assertThat(cut.status()).isEqualTo(200);
        assertThat(cut.failure()).isNotNull();
        assertThat(call(client, context, get(url("/ok"))).body()).isEqualTo("ok");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void anIdleConnectionTheUpstreamClosedIsNotUsedAgain() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Context context = vertx.getOrCreateContext();
        assertThat(call(client, context, get(url("/then-idle-close"))).body()).isEqualTo("ok");
        Thread.sleep(300);
        Result next = call(client, context, get(url("/ok")));
        assertThat(next.failure()).isNull();
        assertThat(next.body()).isEqualTo("ok");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void anUpstreamsKeepAliveTimeoutIsKeptWithASecondToSpare() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        Context context = vertx.getOrCreateContext();
        assertThat(call(client, context, get(url("/keep-2s"))).body()).isEqualTo("ok");
        assertThat(call(client, context, get(url("/keep-2s"))).body()).isEqualTo("ok");
        assertThat(connections.get()).as("reused within its second").isEqualTo(1);
        Thread.sleep(1_300);
        assertThat(open.get()).as("closed by the gateway before the upstream's 2 s").isZero();
        assertThat(call(client, context, get(url("/ok"))).body()).isEqualTo("ok");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void aRefusedConnectionFailsBeforeTheRequestWentOut() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
        NetServer closed = vertx.createNetServer().connectHandler(NetSocket::close);
        closed.listen(0, "127.0.0.1").await();
        int port = closed.actualPort();
        closed.close().await();
        Result result = call(client, vertx.getOrCreateContext(), get("http://127.0.0.1:" + port + "/ok"));
        assertThat(result.failure()).isInstanceOf(java.net.ConnectException.class);
        assertThat(result.wentOut()).isFalse();
    }

    @Test
    void tlsReachesATrustedUpstreamAndRefusesAnUntrustedOne() throws Exception {
        try (TlsFront front = TlsFront.to(upstream.actualPort())) {
            String https = "https://127.0.0.1:" + front.port() + "/ok";
            UpstreamClient trusting = new UpstreamClient(vertx, 10, new UpstreamPools(),
                    SslContextBuilder.forClient().trustManager(front.caPem().toFile()));
            Result trusted = call(trusting, vertx.getOrCreateContext(), get(https));
            assertThat(trusted.failure()).isNull();
            assertThat(trusted.body()).isEqualTo("ok");

            UpstreamClient defaults = new UpstreamClient(vertx, 10, new UpstreamPools());
            Result untrusted = call(defaults, vertx.getOrCreateContext(), get(https));
            assertThat(untrusted.failure()).isInstanceOf(javax.net.ssl.SSLException.class);
            assertThat(untrusted.wentOut()).isFalse();
        }
    }

    @Test
    void aFileBodyIsSentFromItsPieces() throws Exception {
        Path file = Files.createTempFile("antler-upstream-body", ".bin");
        try {
            byte[] content = new byte[300_000];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) ('a' + i % 26);
            }
            Files.write(file, content);
            UpstreamRequest.FilePieces pieces = new UpstreamRequest.FilePieces(file, List.of(
                    new UpstreamRequest.Literal("<".getBytes(StandardCharsets.UTF_8)),
                    new UpstreamRequest.FileRange(1, 200_001),
                    new UpstreamRequest.Literal(">".getBytes(StandardCharsets.UTF_8))));
            UpstreamClient client = new UpstreamClient(vertx, 10, new UpstreamPools());
            Result result = call(client, vertx.getOrCreateContext(), UpstreamRequest.post(url("/echo"), Headers.of(),
                    pieces));
            String expected = "<" + new String(content, 1, 200_000, StandardCharsets.ISO_8859_1) + ">";
            assertThat(result.body()).hasSize(expected.length()).isEqualTo(expected);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

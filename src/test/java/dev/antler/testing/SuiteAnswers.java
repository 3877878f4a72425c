package dev.antler.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Every textual answer the suite's gateways gave through {@link GatewayHarness#http()} (status line, headers and the
 * first {@link #KEPT_BYTES} of the body), and every upstream the suite configured (its key and address), for the
 * answer leak scan that runs last.
 */
public final class SuiteAnswers {

    static final int KEPT_BYTES = 16 * 1024;
    private static final int MAX_ANSWERS = 50_000;

    /**
     * One answer: the request's method and path, the gateway's own {@code host:port} (its links name it), the
     * {@code host:port}s of that gateway's upstreams (a port is reused across the suite, by later gateways, fakes and
     * webhook receivers: only this gateway's own upstreams are looked for), the status and the text the client saw.
     */
    public record Answer(String request, String gateway, Set<String> upstreams, int status, String text) {

        /** The body as read (after the headers), at most {@link #KEPT_BYTES} of it. */
        public String body() {
            int end = text.indexOf("\n\n");
            return end < 0 ? "" : text.substring(end + 2);
        }

        /** Whether {@link #body()} is the whole body, not its first {@link #KEPT_BYTES}. */
        public boolean whole() {
            return body().getBytes(StandardCharsets.UTF_8).length < KEPT_BYTES;
        }
    }

    private static final ConcurrentLinkedQueue<Answer> ANSWERS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Set<String> UPSTREAM_KEYS = ConcurrentHashMap.newKeySet();

    private SuiteAnswers() {}

    public static List<Answer> answers() {
        return List.copyOf(ANSWERS);
    }

    public static Set<String> upstreamKeys() {
        return Set.copyOf(UPSTREAM_KEYS);
    }

    /** A channel's key (each part of an {@code access|secret} pair) and, into {@code addresses}, its base URL's. */
    static void upstream(String key, String baseUrl, Set<String> addresses) {
        if (key != null) {
            for (String part : key.split("\\|")) {
                if (part.strip().length() >= 10) {
                    UPSTREAM_KEYS.add(part.strip());
                }
            }
        }
        if (baseUrl != null) {
            java.net.URI uri = java.net.URI.create(baseUrl.strip());
            if (uri.getHost() != null && uri.getPort() > 0) {
                addresses.add(uri.getHost() + ":" + uri.getPort());
            }
        }
    }

    private static void record(HttpRequest request, Set<String> upstreams, HttpResponse.ResponseInfo info,
                               byte[] body) {
        if (COUNT.incrementAndGet() > MAX_ANSWERS) {
            return;
        }
        StringBuilder text = new StringBuilder();
        info.headers().map().forEach((name, values) -> text.append(name).append(": ").append(values).append('\n'));
        text.append('\n').append(new String(body, StandardCharsets.UTF_8));
        ANSWERS.add(new Answer(request.method() + " " + request.uri().getRawPath(),
                request.uri().getHost() + ":" + request.uri().getPort(), Set.copyOf(upstreams), info.statusCode(),
                text.toString()));
    }

    private static boolean textual(HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
        return type.isEmpty() || type.contains("json") || type.contains("text") || type.contains("xml");
    }

    /**
     * {@code client}, recording each answer's text as it is read (the reader still gets every byte) with the
     * gateway's {@code upstreams} (filled in once the gateway has started).
     */
    static HttpClient recording(HttpClient client, Set<String> upstreams) {
        return new Recording(client, upstreams);
    }

    private static final class Recording extends HttpClient {

        private final HttpClient client;
        private final Set<String> upstreams;

        Recording(HttpClient client, Set<String> upstreams) {
            this.client = client;
            this.upstreams = upstreams;
        }

        private <T> HttpResponse.BodyHandler<T> tee(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return info -> {
                HttpResponse.BodySubscriber<T> inner = handler.apply(info);
                return textual(info.headers()) ? new Tee<>(inner, bytes -> record(request, upstreams, info, bytes))
                        : inner;
            };
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return client.send(request, tee(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                                HttpResponse.BodyHandler<T> handler) {
            return client.sendAsync(request, tee(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
            return client.sendAsync(request, tee(request, handler), push);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return client.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return client.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return client.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return client.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return client.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return client.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return client.authenticator();
        }

        @Override
        public Version version() {
            return client.version();
        }

        @Override
        public Optional<Executor> executor() {
            return client.executor();
        }
    }

    /** Passes a body on unchanged, keeping a copy of its first {@link #KEPT_BYTES} for {@code done}. */
    private static final class Tee<T> implements HttpResponse.BodySubscriber<T> {

        private final HttpResponse.BodySubscriber<T> inner;
        private final java.util.function.Consumer<byte[]> done;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Tee(HttpResponse.BodySubscriber<T> inner, java.util.function.Consumer<byte[]> done) {
            this.inner = inner;
            this.done = done;
        }

        @Override
        public CompletionStage<T> getBody() {
            return inner.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                ByteBuffer copy = item.duplicate();
                int room = KEPT_BYTES - kept.size();
                if (room > 0) {
                    byte[] bytes = new byte[Math.min(room, copy.remaining())];
                    copy.get(bytes);
                    kept.write(bytes, 0, bytes.length);
                }
            }
            inner.onNext(items);
        }

        @Override
        public void onError(Throwable error) {
            done.accept(kept.toByteArray());
            inner.onError(error);
        }

        @Override
        public void onComplete() {
            done.accept(kept.toByteArray());
            inner.onComplete();
        }
    }
}

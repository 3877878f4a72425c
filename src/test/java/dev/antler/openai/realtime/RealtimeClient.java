package dev.antler.openai.realtime;

import dev.antler.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/** A realtime client over the JDK's WebSocket: events as JSON objects, in order; the close code once it comes. */
final class RealtimeClient implements AutoCloseable {

    private final BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private RealtimeClient(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects to {@code url} with {@code headers} (name, value, …) and {@code protocols}; throws on refusal. */
    static RealtimeClient connect(HttpClient http, String url, List<String> headers, String... protocols) {
        Listener listener = new Listener();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        if (protocols.length > 0) {
            builder.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
        }
        WebSocket socket = builder.buildAsync(URI.create(url), listener).join();
        return listener.client;
    }

    private final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();

    void send(String json) {
        socket.sendText(json, true).join();
        sent.incrementAndGet();
    }

    /** Messages whose sending has completed. */
    int sent() {
        return sent.get();
    }

    /** The next event, waiting up to 10 s. */
    ObjectNode next() {
        try {
            ObjectNode event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no realtime event within 10 s");
            }
            return event;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Events up to and including the first of {@code type}. */
    List<ObjectNode> until(String type) {
        List<ObjectNode> seen = new ArrayList<>();
        while (true) {
            ObjectNode event = next();
            seen.add(event);
            if (event.path("type").asString("").equals(type)) {
                return seen;
            }
        }
    }

    int awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            } catch (CompletionException e) {
                // the gateway closed first and the close was answered meanwhile
            }
        }
    }

    void abort() {
        socket.abort();
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    private static final class Listener implements WebSocket.Listener {
        private RealtimeClient client;
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            client = new RealtimeClient(webSocket);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                client.events.add(Json.objectOrNull(text.toString().getBytes(StandardCharsets.UTF_8)));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            client.closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            client.closed.complete(-1);
        }
    }
}

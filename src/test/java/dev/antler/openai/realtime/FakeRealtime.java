package dev.antler.openai.realtime;

import dev.antler.json.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A realtime upstream speaking OpenAI's documented event flow over a WebSocket: {@code session.created} on connect;
 * {@code session.update} → {@code session.updated}; {@code input_audio_buffer.append} taken in silence;
 * {@code response.create} → {@code response.created}, {@code response.output_item.added}, text or audio deltas,
 * {@code response.done} with {@link #usage}. With {@link #cutMidResponse} it closes the socket with 1011 after the
 * first delta; with {@link #refuseUpgrades} it answers the upgrade with a 503. A session updated to server voice
 * activity detection ({@code turn_detection: {type: server_vad}}) takes each append as one utterance:
 * {@code input_audio_buffer.speech_started}, {@code speech_stopped}, {@code committed}, then a response of its own.
 */
final class FakeRealtime implements AutoCloseable {

    /** The usage of the Realtime API reference's response.done example shape (gpt-realtime). */
    static final String USAGE = """
            {"total_tokens":253,"input_tokens":132,"output_tokens":121,
             "input_token_details":{"text_tokens":119,"audio_tokens":13,"image_tokens":0,"cached_tokens":64,
               "cached_tokens_details":{"text_tokens":64,"audio_tokens":0,"image_tokens":0}},
             "output_token_details":{"text_tokens":30,"audio_tokens":91}}""";

    record Upgrade(String uri, MultiMap headers) {}

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpServer server;
    private final List<Upgrade> upgrades = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> sentEventIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    volatile String usage = USAGE;
    /** The usage of responses with audio output; null: {@link #usage}. */
    volatile String audioUsage;
    volatile boolean cutMidResponse;
    volatile boolean refuseUpgrades;
    /** While set, new sessions do not read the client's events (a slow upstream). */
    volatile boolean stalled;
    /** When above 0, each response's {@code response.done} comes this long after its deltas, unless cancelled. */
    volatile long doneDelayMs;
    private final List<String> cancels = new CopyOnWriteArrayList<>();
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger appends = new AtomicInteger();
    private final java.util.Map<ServerWebSocket, Runnable> pending = new java.util.concurrent.ConcurrentHashMap<>();

    private FakeRealtime() {
        server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(16 << 20)
                        .setMaxWebSocketMessageSize(16 << 20))
                .requestHandler(request -> {
                    upgrades.add(new Upgrade(request.uri(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers())));
                    if (refuseUpgrades || !request.path().equals("/v1/realtime")) {
                        request.response().setStatusCode(refuseUpgrades ? 503 : 404).end();
                        return;
                    }
                    request.toWebSocket().onSuccess(this::session);
                });
        server.listen(0, "127.0.0.1").await();
    }

    static FakeRealtime start() {
        return new FakeRealtime();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<Upgrade> upgrades() {
        return upgrades;
    }

    /** Every client event's text, in order. */
    List<String> received() {
        return received;
    }

    /** Sessions read their clients' events again. */
    void unstall() {
        stalled = false;
        vertx.runOnContext(v -> sockets.forEach(ServerWebSocket::resume));
    }

    /** The {@code event_id} of every event sent, in order. */
    List<String> sentEventIds() {
        return sentEventIds;
    }

    /** How many events of {@code type} the clients sent. */
    long receivedOf(String type) {
        return received.stream().filter(text -> text.contains("\"type\":\"" + type + "\"")).count();
    }

    int appends() {
        return appends.get();
    }

    void reset() {
        appends.set(0);
        sockets.clear();
        upgrades.clear();
        received.clear();
        sentEventIds.clear();
        usage = USAGE;
        audioUsage = null;
        cutMidResponse = false;
        refuseUpgrades = false;
        stalled = false;
        doneDelayMs = 0;
        cancels.clear();
        pending.clear();
    }

    private void session(ServerWebSocket ws) {
        ObjectNode session = Json.object();
        session.put("object", "realtime.session");
        session.put("id", "sess_upstream_" + ids.incrementAndGet());
        session.put("type", "realtime");
        session.put("model", "gpt-realtime-2025-08-28");
        send(ws, event("session.created").set("session", session));
        sockets.add(ws);
        if (stalled) {
            ws.pause();
        }
        ws.textMessageHandler(text -> {
            received.add(text.length() > 200 ? text.substring(0, 200) : text);
            ObjectNode in = Json.objectOrNull(text.getBytes(StandardCharsets.UTF_8));
            String type = in == null ? "" : in.path("type").asString("");
            switch (type) {
                case "session.update" -> {
                    session.setAll((ObjectNode) in.path("session"));
                    send(ws, event("session.updated").set("session", session));
                }
                case "input_audio_buffer.append" -> {
                    appends.incrementAndGet();
                    if (serverVad(session)) {
                        send(ws, event("input_audio_buffer.speech_started"));
                        send(ws, event("input_audio_buffer.speech_stopped"));
                        send(ws, event("input_audio_buffer.committed"));
                        respond(ws, Json.object());
                    }
                }
                case "conversation.item.create" -> { }
                case "input_audio_buffer.commit" -> send(ws, event("input_audio_buffer.committed")
                        .put("item_id", "item_" + ids.incrementAndGet()));
                case "response.create" -> respond(ws, in);
                case "response.cancel" -> {
                    cancels.add(text);
                    Runnable pending = this.pending.remove(ws);
                    if (pending != null) {
                        pending.run();
                    }
                }
                default -> {
                    ObjectNode error = event("error");
                    ObjectNode body = error.putObject("error");
                    body.put("type", "invalid_request_error");
                    body.put("code", "invalid_value");
                    body.put("message", "Invalid value: '" + type + "'.");
                    send(ws, error);
                }
            }
        });
    }

    /** Turn detection as the GA session shape ({@code audio.input.turn_detection}) or the beta one sets it. */
    private static boolean serverVad(ObjectNode session) {
        return "server_vad".equals(session.path("audio").path("input").path("turn_detection").path("type").asString(""))
                || "server_vad".equals(session.path("turn_detection").path("type").asString(""));
    }

    private void respond(ServerWebSocket ws, ObjectNode create) {
        String responseId = "resp_" + ids.incrementAndGet();
        boolean audio = create.path("response").path("output_modalities").toString().contains("audio");
        ObjectNode response = Json.object();
        response.put("object", "realtime.response");
        response.put("id", responseId);
        response.put("status", "in_progress");
        response.putArray("output");
        send(ws, event("response.created").set("response", response.deepCopy()));
        String itemId = "item_" + ids.incrementAndGet();
        ObjectNode item = Json.object();
        item.put("id", itemId);
        item.put("type", "message");
        item.put("role", "assistant");
        send(ws, event("response.output_item.added").put("response_id", responseId).put("output_index", 0)
                .set("item", item));
        String[] parts = {"Hello", " from", " realtime!"};
        for (int i = 0; i < parts.length; i++) {
            ObjectNode delta = event(audio ? "response.output_audio.delta" : "response.output_text.delta")
                    .put("response_id", responseId).put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0)
                    .put("delta", audio ? "UklGRiQAAABXQVZF" : parts[i]);
            send(ws, delta);
            if (cutMidResponse) {
                ws.close((short) 1011, "upstream failure");
                return;
            }
        }
        if (doneDelayMs <= 0) {
            done(ws, response, item, "completed", audio);
            return;
        }
        long timer = vertx.setTimer(doneDelayMs, id -> {
            pending.remove(ws);
            done(ws, response, item, "completed", audio);
        });
        pending.put(ws, () -> {
            vertx.cancelTimer(timer);
            done(ws, response, item, "cancelled", audio);
        });
    }

    private void done(ServerWebSocket ws, ObjectNode response, ObjectNode item, String status, boolean audio) {
        String usage = audio && audioUsage != null ? audioUsage : this.usage;
        response.put("status", status);
        ArrayNode output = response.putArray("output");
        output.add(item);
        response.set("usage", Json.objectOrNull(usage.getBytes(StandardCharsets.UTF_8)));
        send(ws, event("response.done").set("response", response));
    }

    int cancels() {
        return cancels.size();
    }

    private ObjectNode event(String type) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.put("event_id", "event_" + ids.incrementAndGet());
        return event;
    }

    private void send(ServerWebSocket ws, ObjectNode event) {
        if (!ws.isClosed()) {
            sentEventIds.add(event.path("event_id").asString());
            ws.writeTextMessage(new String(Json.bytes(event), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}

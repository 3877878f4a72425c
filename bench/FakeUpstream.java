import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A fast fake OpenAI upstream for the benchmark (bench/run), run with the JDK source launcher:
 *
 * <pre>java -cp 'target/lib/*' bench/FakeUpstream.java PORT [EVENT_LOOPS]</pre>
 *
 * Answers, from precomputed buffers and with no delay:
 * <ul>
 *   <li>POST /v1/chat/completions: a ~600-byte chat.completion JSON with usage; with {@code "stream":true}
 *       an SSE stream of 20 chunk events, a usage chunk and {@code [DONE]}, each event written and flushed
 *       on its own event-loop turn, as a model's stream arrives (not one coalesced write);</li>
 *   <li>POST /v1/embeddings: a 1536-dimension float embedding (~19 KB, as text-embedding-3-small answers);</li>
 *   <li>POST /v1/images/edits: reads the whole multipart body (only counts it) and answers a small images JSON;</li>
 *   <li>anything else: 404.</li>
 * </ul>
 * Request bodies are read in full; the only thing looked at is whether the chat body contains
 * {@code "stream":true} (a byte search, so the upstream's own cost stays small and constant).
 */
public final class FakeUpstream {

    private static final Buffer CHAT = Buffer.buffer(chatJson());
    private static final Buffer[] SSE = sseEvents();
    private static final Buffer EMBEDDINGS = Buffer.buffer(embeddingsJson());
    private static final Buffer IMAGES = Buffer.buffer("""
            {"created":1730000000,"data":[{"url":"https://images.example/bench/edited-0001.png",\
            "revised_prompt":"a benchmark image, edited"}]}""");
    private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        for (int i = 0; i < loops; i++) {
            vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setReuseAddress(true)
                            .setHandle100ContinueAutomatically(true).setCompressionSupported(false).setIdleTimeout(600))
                    .requestHandler(FakeUpstream::handle)
                    .listen(port, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS);
        }
        System.out.println("fake upstream listening on 127.0.0.1:" + port);
    }

    private static void handle(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/v1/chat/completions" -> request.body().onSuccess(body -> {
                if (contains(body, STREAM_TRUE)) {
                    stream(request.response());
                } else {
                    json(request.response(), CHAT);
                }
            });
            case "/v1/embeddings" -> request.body().onSuccess(body -> json(request.response(), EMBEDDINGS));
            case "/v1/images/edits" -> {
                long[] received = {0};
                request.handler(chunk -> received[0] += chunk.length());
                request.endHandler(v -> {
                    request.response().putHeader("X-Bench-Received-Bytes", Long.toString(received[0]));
                    json(request.response(), IMAGES);
                });
            }
            default -> request.response().setStatusCode(404).end();
        }
    }

    private static void json(HttpServerResponse response, Buffer body) {
        response.putHeader("Content-Type", "application/json")
                .putHeader("openai-processing-ms", "1")
                .end(body); // Vert.x writes a slice: a shared buffer is safe
    }

    /** One event per event-loop turn: each is flushed on its own, as a model's stream arrives. */
    private static void stream(HttpServerResponse response) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        Context context = Vertx.currentContext();
        writeEvent(context, response, 0);
    }

    private static void writeEvent(Context context, HttpServerResponse response, int index) {
        if (response.closed()) {
            return;
        }
        if (index == SSE.length) {
            response.end();
            return;
        }
        response.write(SSE[index]);
        context.runOnContext(v -> writeEvent(context, response, index + 1));
    }

    private static boolean contains(Buffer body, byte[] needle) {
        byte[] bytes = body.getBytes();
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String chatJson() {
        return """
                {"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion","created":1730000000,\
                "model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant",\
                "content":"Hello! This is a fixed answer from the benchmark's fake upstream. It is about as long \
                as a short reply from a chat model, so the relay moves a realistic body.","refusal":null},\
                "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":38,\
                "total_tokens":62,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},\
                "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},\
                "service_tier":"default","system_fingerprint":"fp_bench0001"}""";
    }

    private static Buffer[] sseEvents() {
        String head = "{\"id\":\"chatcmpl-bench0000000000000000000002\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1730000000,\"model\":\"gpt-4o-mini-2024-07-18\","
                + "\"system_fingerprint\":\"fp_bench0001\",";
        Buffer[] events = new Buffer[22];
        for (int i = 0; i < 20; i++) {
            String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"\"}"
                    : "{\"content\":\" word" + i + "\"}";
            String finish = i == 19 ? "\"stop\"" : "null";
            String json = head + "\"choices\":[{\"index\":0,\"delta\":" + (i == 19 ? "{}" : delta)
                    + ",\"logprobs\":null,\"finish_reason\":" + finish + "}],\"usage\":null}";
            events[i] = Buffer.buffer("data: " + json + "\n\n");
        }
        events[20] = Buffer.buffer("data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":24,"
                + "\"completion_tokens\":19,\"total_tokens\":43,\"prompt_tokens_details\":{\"cached_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
        events[21] = Buffer.buffer("data: [DONE]\n\n");
        return events;
    }

    private static String embeddingsJson() {
        StringBuilder json = new StringBuilder(34_000);
        json.append("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 1536; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(String.format(Locale.ROOT, "%.9f", random.nextGaussian() * 0.03));
        }
        json.append("]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}");
        return json.toString();
    }
}

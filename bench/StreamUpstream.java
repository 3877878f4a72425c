import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A fake OpenAI upstream for the benchmark's concurrency scenario (bench/run --scenarios streams), run with the
 * JDK source launcher: {@code java -cp 'target/lib/*' bench/StreamUpstream.java PORT EVENTS INTERVAL_MS}.
 *
 * <p>Every {@code POST /v1/chat/completions} gets a long SSE stream: EVENTS chunk events (fewer if the request's
 * {@code max_tokens} is lower), one every INTERVAL_MS (a timer per stream, so streams started at different times
 * do not fire together), then a finish chunk, a usage
 * chunk and {@code data: [DONE]}. Each event's content is {@code t=<epoch microseconds when written>}, so the
 * client (bench/StreamClient.java, on the same machine and clock) measures each event's delay. Holds as many
 * streams as the file-descriptor limit allows.
 */
public final class StreamUpstream {

    private static final String HEAD = "data: {\"id\":\"chatcmpl-bench-long\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1730000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int events = Integer.parseInt(args[1]);
        long intervalMs = Long.parseLong(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        int[] open = {0};
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setReuseAddress(true)
                        .setAcceptBacklog(8192).setIdleTimeout(0))
                .requestHandler(request -> handle(vertx, request, events, intervalMs, open))
                .listen(port, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        vertx.setPeriodic(5000, id -> System.out.println("open streams: " + open[0]));
        System.out.println("stream upstream listening on 127.0.0.1:" + port);
    }

    private static void handle(Vertx vertx, HttpServerRequest request, int maxEvents, long intervalMs, int[] open) {
        if (!request.path().equals("/v1/chat/completions")) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.body().onSuccess(body -> {
            int events = Math.min(maxEvents, maxTokens(body.toString()));
            HttpServerResponse response = request.response().setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-cache");
            response.write(HEAD + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
            open[0]++;
            int[] sent = {0};
            vertx.setPeriodic(intervalMs, timer -> {
                if (response.closed()) {
                    vertx.cancelTimer(timer);
                    open[0]--;
                    return;
                }
                if (sent[0] < events) {
                    sent[0]++;
                    response.write(Buffer.buffer(HEAD + "{\"content\":\"t=" + nowMicros()
                            + "\"},\"finish_reason\":null}]}\n\n"));
                    return;
                }
                vertx.cancelTimer(timer);
                open[0]--;
                response.write(HEAD + "{},\"finish_reason\":\"stop\"}]}\n\n");
                response.write("data: {\"id\":\"chatcmpl-bench-long\",\"object\":\"chat.completion.chunk\","
                        + "\"created\":1730000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":"
                        + "{\"prompt_tokens\":24,\"completion_tokens\":" + events + ",\"total_tokens\":" + (24 + events)
                        + "}}\n\n");
                response.end("data: [DONE]\n\n");
            });
        });
    }

    /** The request's {@code max_tokens} (a stream of that many events, as a model stops there), or no limit. */
    private static int maxTokens(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"max_tokens\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}

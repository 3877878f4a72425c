import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's long-stream client (bench/run --scenarios streams), run with the JDK source launcher:
 * {@code java -cp 'target/lib/*' bench/StreamClient.java URL KEY STREAMS EVENTS RAMP_SECONDS TIMEOUT_SECONDS}.
 *
 * <p>Opens STREAMS chat streams at once (one connection each, started evenly over RAMP_SECONDS), reads every
 * event, and for each event written by bench/StreamUpstream.java ({@code t=<epoch us>} in its content) records
 * how long it took to arrive. A stream is complete when it answered 200 with all EVENTS events and
 * {@code [DONE]}. Prints one JSON line: streams, complete, failed (by reason), events, and the delay
 * percentiles in microseconds. One event loop: the client's own cost stays one core at most.
 */
public final class StreamClient {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        int streams = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        double rampSeconds = Double.parseDouble(args[4]);
        long timeoutSeconds = Long.parseLong(args[5]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true)
                        .setConnectTimeout(30_000).setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1));
        Stats stats = new Stats(streams, events);
        CountDownLatch done = new CountDownLatch(streams);
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":" + events + ",\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"stream for a while\"}]}";
        long started = System.nanoTime();
        long gapNanos = (long) (rampSeconds * 1e9 / streams);
        for (int i = 0; i < streams; i++) {
            long delayMs = Math.max(1, (gapNanos * i) / 1_000_000);
            vertx.setTimer(delayMs, t -> open(client, url, key, body, stats, done));
        }
        boolean all = done.await(timeoutSeconds, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        vertx.runOnContext(v -> stats.print(all, seconds));
        Thread.sleep(200);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static void open(HttpClientAgent client, String url, String key, String body, Stats stats,
                             CountDownLatch done) {
        Stream stream = new Stream(stats, done);
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url + "/v1/chat/completions")
                        .putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(body))
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.body().onComplete(b -> stream.fail("http " + response.statusCode()));
                        return;
                    }
                    response.handler(stream::chunk);
                    response.exceptionHandler(e -> stream.fail("cut: " + e.getClass().getSimpleName()));
                    response.endHandler(v -> stream.end());
                })
                .onFailure(e -> stream.fail("connect: " + e.getClass().getSimpleName()));
    }

    /** One stream's SSE parsing: complete lines only, split chunks joined. */
    private static final class Stream {
        private final Stats stats;
        private final CountDownLatch done;
        private final StringBuilder pending = new StringBuilder();
        private int events;
        private boolean sawDone;
        private boolean finished;

        Stream(Stats stats, CountDownLatch done) {
            this.stats = stats;
            this.done = done;
        }

        void chunk(Buffer buffer) {
            long now = nowMicros();
            pending.append(buffer.toString(StandardCharsets.UTF_8));
            int newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                String line = pending.substring(0, newline);
                pending.delete(0, newline + 1);
                if (!line.startsWith("data: ")) {
                    continue;
                }
                if (line.startsWith("data: [DONE]")) {
                    sawDone = true;
                    continue;
                }
                int t = line.indexOf("\"t=");
                if (t >= 0) {
                    int end = line.indexOf('"', t + 3);
                    stats.delay(now - Long.parseLong(line.substring(t + 3, end)));
                    events++;
                }
            }
        }

        void end() {
            if (sawDone && events == stats.events) {
                finish(null);
            } else {
                finish(sawDone ? "ended with " + events + " events" : "ended without [DONE]");
            }
        }

        void fail(String reason) {
            finish(reason);
        }

        private void finish(String failure) {
            if (finished) {
                return;
            }
            finished = true;
            stats.finished(failure);
            done.countDown();
        }
    }

    /** Counters and delays, touched only on the client's one event loop. */
    private static final class Stats {
        final int streams;
        final int events;
        private int[] delays;
        private int count;
        private int complete;
        private final Map<String, Integer> failures = new TreeMap<>();

        Stats(int streams, int events) {
            this.streams = streams;
            this.events = events;
            this.delays = new int[Math.max(16, Math.min(streams * events, 1 << 20))];
        }

        void delay(long micros) {
            if (count == delays.length) {
                delays = Arrays.copyOf(delays, delays.length * 2);
            }
            delays[count++] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, micros));
        }

        void finished(String failure) {
            if (failure == null) {
                complete++;
            } else {
                failures.merge(failure, 1, Integer::sum);
            }
        }

        void print(boolean allEnded, double seconds) {
            int[] sorted = Arrays.copyOf(delays, count);
            Arrays.sort(sorted);
            StringBuilder failed = new StringBuilder("{");
            failures.forEach((reason, n) -> failed.append(failed.length() > 1 ? "," : "").append('"')
                    .append(reason.replace("\"", "'")).append("\":").append(n));
            failed.append('}');
            System.out.printf("STREAM_RESULT {\"streams\":%d,\"events_per_stream\":%d,\"all_ended\":%b,"
                            + "\"complete\":%d,\"failed\":%s,\"events\":%d,\"seconds\":%.1f,\"delay_us\":{\"p50\":%d,"
                            + "\"p90\":%d,\"p99\":%d,\"p999\":%d,\"max\":%d}}%n", streams, events, allEnded, complete,
                    failed, count, seconds, pct(sorted, 0.5), pct(sorted, 0.9), pct(sorted, 0.99), pct(sorted, 0.999),
                    count == 0 ? 0 : sorted[count - 1]);
        }

        private static int pct(int[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}

package dev.antler.redis;

import static java.util.Objects.requireNonNull;

import dev.antler.config.RedisConfig;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to Redis, on the gateway's event loops, and whether Redis is reachable. Every command gets
 * {@code redis.timeout_ms} to answer. A command that cannot reach Redis (refused, reset) marks it down at once; late
 * answers mark it down only when they go on ({@link RedisVerdict}), a late command failing alone. While down,
 * commands fail at once, without a network wait, and Redis is pinged every {@code redis.retry_ms} until it answers
 * in time several pings in a row, when it is up again. Each switch is logged once. An error Redis answers (a
 * script's error, say) fails that command only.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    /** The failure of a command sent while Redis is down: nothing was sent. */
    static final class Down extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Down() {
            super("redis is down", null, false, false);
        }
    }

    private static final Down DOWN = new Down();
    static final long PROBE_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final RedisConfig config;
    private final Clock clock;
    private final Redis client;
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final RedisVerdict verdict;
    private final List<Supplier<Future<?>>> onUp = new CopyOnWriteArrayList<>();
    private final LongAdder failures = new LongAdder();
    private volatile long sinceMillis;
    private volatile String lastProblem = "not connected yet";
    private volatile boolean closed;

    RedisLink(Vertx vertx, RedisConfig config, Clock clock) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.sinceMillis = clock.millis();
        this.verdict = new RedisVerdict(config.timeoutMs());
        this.client = Redis.createClient(vertx, options(config));
    }

    /** The client options of the pool, for a connection of its own too (a subscriber's). */
    static RedisOptions options(RedisConfig config) {
        return new RedisOptions()
                .setConnectionString(config.url())
                .setMaxPoolSize(config.poolSize())
                .setMaxPoolWaiting(4096) // a wait for a connection is bounded by the timeout anyway
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(new NetClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs()))
                        .setTcpNoDelay(true)
                        .setTcpKeepAlive(true));
    }

    /** Runs {@code task} each time Redis comes up (scripts to load, state to re-read), before it counts as up. */
    void onUp(Supplier<Future<?>> task) {
        onUp.add(task);
    }

    /** Pings Redis now; it is up once it answers (and the {@link #onUp} tasks are done). */
    void connect() {
        probe();
    }

    public boolean up() {
        return up.get();
    }

    /** Since when Redis has been up (or down), in epoch ms. */
    public long sinceMillis() {
        return sinceMillis;
    }

    /** Why Redis is down (the last failure), or null while up. */
    public String problem() {
        return up() ? null : lastProblem;
    }

    /** Commands that failed to reach Redis (or timed out), since the start. */
    public long failures() {
        return failures.sum();
    }

    public String safeUrl() {
        return config.safeUrl();
    }

    /**
     * Sends {@code request} within the timeout, failing at once with {@link Down} while Redis is down. A
     * failure to reach Redis counts towards marking it down (see {@link RedisVerdict}); an error Redis answered does
     * not.
     */
    Future<Response> send(Request request) {
        if (!up.get()) {
            return Future.failedFuture(DOWN);
        }
        return sendNow(request).andThen(done -> {
            if (done.succeeded() || isErrorReply(done.cause())) {
                verdict.answered();
            } else {
                failed(done.cause());
            }
        });
    }

    /**
     * {@link #send} for the {@link #onUp} tasks, which run before Redis counts as up. No request waits on them, so
     * they get at least {@link #PROBE_TIMEOUT_MS}: a first connection (and a start's class loading) may well take
     * longer than a command should.
     */
    Future<Response> sendLoading(Request request) {
        return client.send(request).timeout(Math.max(PROBE_TIMEOUT_MS, config.timeoutMs()), TimeUnit.MILLISECONDS);
    }

    private Future<Response> sendNow(Request request) {
        return client.send(request).timeout(config.timeoutMs(), TimeUnit.MILLISECONDS);
    }

    /** An answer of Redis's own (an error reply), as opposed to Redis not answering. */
    static boolean isErrorReply(Throwable failure) {
        return failure instanceof Response response && response.type() == ResponseType.ERROR;
    }

    /** Whether {@code failure} is an answer that did not come in time (the connection may well be fine). */
    static boolean isLate(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof ConnectTimeoutException;
    }

    private void failed(Throwable failure) {
        if (failure instanceof Down) {
            return;
        }
        failures.increment();
        if (verdict.noAnswer(isLate(failure), clock.millis())) {
            down(failure);
        } else {
            log.debug("redis: a command came back late ({}); Redis still counts as up", describe(failure));
        }
    }

    private void down(Throwable failure) {
        lastProblem = describe(failure);
        if (up.compareAndSet(true, false)) {
            sinceMillis = clock.millis();
            log.warn("redis at {} is unreachable ({}): each instance enforces its own limits until it is back",
                    config.safeUrl(), lastProblem);
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        if (!closed) {
            vertx.setTimer(config.retryMs(), id -> probe());
        }
    }

    private void probe() {
        if (closed || up.get() || !probing.compareAndSet(false, true)) {
            return;
        }
        long sentAt = System.nanoTime();
        sendLoading(Request.cmd(Command.PING)).onComplete(pong -> {
            boolean inTime = System.nanoTime() - sentAt <= TimeUnit.MILLISECONDS.toNanos(config.timeoutMs());
            if (pong.failed()) {
                probeFailed(pong.cause());
            } else if (!verdict.pinged(inTime)) {
                probing.set(false); // answered, but not yet in time for long enough
                scheduleProbe();
            } else {
                Future.all(onUp.stream().map(Supplier::get).toList()).onComplete(done -> {
                    if (done.succeeded()) {
                        cameUp();
                    } else {
                        probeFailed(done.cause());
                    }
                });
            }
        });
    }

    private void cameUp() {
        probing.set(false);
        if (!closed) {
            verdict.up();
            sinceMillis = clock.millis();
            up.set(true);
            log.info("redis at {} is reachable: limits are shared by all instances", config.safeUrl());
        }
    }

    private void probeFailed(Throwable failure) {
        probing.set(false);
        verdict.pingFailed();
        if (!closed) {
            boolean first = lastProblem.equals("not connected yet");
            lastProblem = describe(failure);
            if (first) {
                log.warn("redis at {} is unreachable ({}): each instance enforces its own limits until it is back",
                        config.safeUrl(), lastProblem);
            }
            scheduleProbe();
        }
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        if (failure instanceof TimeoutException) {
            return "no answer in time: " + failure.getMessage();
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        closed = true;
        up.set(false);
        client.close();
    }
}

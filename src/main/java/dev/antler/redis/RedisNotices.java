package dev.antler.redis;

import static java.util.Objects.requireNonNull;

import dev.antler.cluster.NoticeBus;
import dev.antler.config.RedisConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change notices over Redis pub/sub, on the channel {@code <redis.key_prefix>changes}: sent with {@code PUBLISH}
 * through the pool; received on a connection of their own (a subscribed connection can do nothing else), which
 * is made again every {@code redis.retry_ms} while Redis cannot be reached. Each loss of that connection is told
 * to the receiver, which then reads the store's change table again: pub/sub keeps nothing for a subscriber that
 * was away.
 */
final class RedisNotices implements NoticeBus, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisNotices.class);

    private final Vertx vertx;
    /** Where the subscriber's state lives: one event loop. */
    private final Context context;
    private final RedisLink link;
    private final RedisConfig config;
    private final String channel;
    private final LongAdder received = new LongAdder();
    private final LongAdder notSent = new LongAdder();
    /** On {@link #context} only: the subscriber's client and connection (null while there is none). */
    private Redis client;
    private RedisConnection connection;
    private Receiver receiver;
    private volatile boolean subscribed;
    private volatile boolean closed;

    RedisNotices(Vertx vertx, RedisLink link, RedisConfig config) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.context = vertx.getOrCreateContext();
        this.link = requireNonNull(link, "link");
        this.config = requireNonNull(config, "config");
        this.channel = config.keyPrefix() + "changes";
    }

    @Override
    public void send(String message) {
        link.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).onFailure(e -> {
            notSent.increment(); // the others read it from the store's change table
            log.debug("redis: change notice not published: {}", e.toString());
        });
    }

    @Override
    public void listen(Receiver receiver) {
        requireNonNull(receiver, "receiver");
        context.runOnContext(v -> {
            this.receiver = receiver;
            subscribe();
        });
    }

    /** Whether notices arrive over pub/sub now. */
    boolean subscribed() {
        return subscribed;
    }

    /** Notices received over pub/sub since the start (this instance's own included). */
    long received() {
        return received.sum();
    }

    /** Notices this instance could not publish (Redis down or late); the others read them from the store. */
    long notSent() {
        return notSent.sum();
    }

    private void subscribe() {
        if (closed) {
            return;
        }
        // A fresh client each time: a pooled connection closed after a failure may be handed out again.
        client = Redis.createClient(vertx, RedisLink.options(config).setMaxPoolSize(1));
        long timeout = Math.max(RedisLink.PROBE_TIMEOUT_MS, config.timeoutMs());
        client.connect().timeout(timeout, TimeUnit.MILLISECONDS).compose(opened -> {
            connection = opened;
            opened.handler(this::pushed);
            opened.exceptionHandler(e -> lost(opened, RedisLink.describe(e)));
            opened.endHandler(v -> lost(opened, "connection closed"));
            return opened.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).timeout(timeout, TimeUnit.MILLISECONDS);
        }).onComplete(done -> {
            if (closed) {
                return;
            }
            if (done.succeeded()) {
                subscribed = true;
                receiver.listening();
            } else {
                log.debug("redis: change notices not subscribed: {}", RedisLink.describe(done.cause()));
                retry();
            }
        });
    }

    /** A pushed message: {@code ["message", channel, payload]}. */
    private void pushed(Response push) {
        if (push.size() == 3 && "message".equals(push.get(0).toString()) && channel.equals(push.get(1).toString())) {
            received.increment();
            receiver.message(push.get(2).toString());
        }
    }

    private void lost(RedisConnection which, String problem) {
        if (which != connection || closed) {
            return; // an older connection's last word, or a stop
        }
        if (subscribed) {
            subscribed = false;
            receiver.deaf(problem);
        }
        retry();
    }

    private void retry() {
        Redis old = client;
        connection = null;
        client = null;
        if (old != null) {
            old.close();
        }
        if (!closed) {
            vertx.setTimer(config.retryMs(), id -> subscribe());
        }
    }

    @Override
    public void close() {
        closed = true;
        subscribed = false;
        context.runOnContext(v -> {
            if (client != null) {
                client.close();
                client = null;
                connection = null;
            }
        });
    }
}

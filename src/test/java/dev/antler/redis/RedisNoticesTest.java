package dev.antler.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.cluster.NoticeBus;
import dev.antler.config.RedisConfig;
import dev.antler.testing.TestRedis;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change notices over pub/sub on a Redis of this test's own: two subscribers get every message sent while they
 * listen; a kill of Redis is told to each as a loss (messages may be missed from then on), and each subscribes
 * again by itself once Redis is back, saying so.
 */
class RedisNoticesTest {

    private TestRedis redis;
    private Vertx vertx;
    private RedisLink link;
    private final List<RedisNotices> buses = new java.util.ArrayList<>();

    @BeforeEach
    void start() {
        redis = TestRedis.own();
        vertx = Vertx.vertx();
        RedisConfig config = new RedisConfig(redis.url(), "antler-notices-test:", 1_000L, 2, null, 100L);
        link = new RedisLink(vertx, config, Clock.systemUTC());
        link.connect();
        for (int i = 0; i < 2; i++) {
            buses.add(new RedisNotices(vertx, link, config));
        }
    }

    @AfterEach
    void stop() throws Exception {
        buses.forEach(RedisNotices::close);
        if (link != null) {
            link.close();
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void subscribersGetEachMessageAndAreToldOfEveryLossAndReturn() throws Exception {
        Events first = new Events();
        Events second = new Events();
        buses.get(0).listen(first);
        buses.get(1).listen(second);
        assertThat(first.next()).isEqualTo("listening");
        assertThat(second.next()).isEqualTo("listening");
        awaitLinkUp();

        buses.get(0).send("1 origin-a channel main");
        assertThat(first.next()).isEqualTo("message 1 origin-a channel main");
        assertThat(second.next()).isEqualTo("message 1 origin-a channel main");
        assertThat(buses.get(1).received()).isEqualTo(1);
        assertThat(buses.get(1).subscribed()).isTrue();

        redis.kill();
        assertThat(first.next()).startsWith("deaf ");
        assertThat(second.next()).startsWith("deaf ");
        assertThat(buses.get(0).subscribed()).isFalse();
        buses.get(0).send("2 origin-a channel lost"); // nowhere to go: counted, not thrown
        awaitUnsent(buses.get(0));

        redis.start();
        assertThat(first.next()).isEqualTo("listening");
        assertThat(second.next()).isEqualTo("listening");
        awaitLinkUp();
        buses.get(1).send("3 origin-b price gpt-4o");
        assertThat(first.next()).isEqualTo("message 3 origin-b price gpt-4o");
        assertThat(second.next()).isEqualTo("message 3 origin-b price gpt-4o");
        assertThat(first.events).as("nothing else was told").isEmpty();
    }

    private void awaitLinkUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!link.up()) {
            assertThat(System.nanoTime()).as("redis link up within 15 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitUnsent(RedisNotices bus) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (bus.notSent() == 0) {
            assertThat(System.nanoTime()).as("the failed send counted within 15 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** What a receiver was told, in order. */
    private static final class Events implements NoticeBus.Receiver {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void listening() {
            events.add("listening");
        }

        @Override
        public void message(String message) {
            events.add("message " + message);
        }

        @Override
        public void deaf(String problem) {
            events.add("deaf " + problem);
        }

        String next() throws InterruptedException {
            String event = events.poll(15, TimeUnit.SECONDS);
            assertThat(event).as("an event within 15 s").isNotNull();
            return event;
        }
    }
}

package dev.antler.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.RedisConfig;
import dev.antler.limits.MutableClock;
import dev.antler.testing.TestRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether a link counts Redis as up, against a Redis of the test's own that it freezes (answering nothing, its
 * connections open) or kills: late answers alone keep the instance in shared mode, answers that stay late over the
 * span take it to local mode, and a Redis that is gone does so with the first command that fails. Time is a clock
 * the test moves.
 */
class RedisLinkTest {

    private static final long TIMEOUT_MS = 200;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-05T10:00:00Z"));
    private TestRedis redis;
    private TestLinks links;
    private RedisLink link;

    @BeforeEach
    void start() {
        redis = TestRedis.own();
        links = new TestLinks();
        link = links.link(new RedisConfig(redis.url(), TestRedis.uniquePrefix(), TIMEOUT_MS, 2, 3_000L, 50L), clock);
        links.connect();
    }

    @AfterEach
    void stop() {
        links.close();
        redis.close();
    }

    @Test
    void lateAnswersAloneLeaveRedisUp() {
        redis.freeze();
        List<Future<Response>> pings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pings.add(ping());
        }
        pings.forEach(p -> assertThat(failure(p)).isInstanceOf(TimeoutException.class));
        clock.advance(Duration.ofMillis(TIMEOUT_MS));
        assertThat(failure(ping())).isInstanceOf(TimeoutException.class);
        assertThat(link.up()).as("up after six late answers within %d ms", TIMEOUT_MS).isTrue();
        assertThat(link.failures()).isEqualTo(6);

        redis.thaw();
        assertThat(ping().await().toString()).isEqualTo("PONG");
        assertThat(link.up()).isTrue();
    }

    @Test
    void answersThatStayLateOverTheSpanTakeRedisDownUntilItAnswersInTimeAgain() {
        redis.freeze();
        assertThat(failure(ping())).isInstanceOf(TimeoutException.class);
        clock.advance(Duration.ofMillis(600));
        assertThat(failure(ping())).isInstanceOf(TimeoutException.class);
        assertThat(link.up()).as("up after two late answers").isTrue();
        clock.advance(Duration.ofMillis(400));
        assertThat(failure(ping())).isInstanceOf(TimeoutException.class);
        assertThat(link.up()).as("down after three late answers over 1 s").isFalse();
        assertThat(link.problem()).startsWith("no answer in time");
        assertThat(failure(ping())).as("no network wait while down").isInstanceOf(RedisLink.Down.class);

        redis.thaw();
        TestLinks.await(link::up, "redis up again", 10);
    }

    @Test
    void aRedisThatIsGoneIsDownWithTheFirstCommandThatFails() {
        redis.kill();
        assertThat(failure(ping())).isNotInstanceOf(TimeoutException.class);
        assertThat(link.up()).as("down at once, the clock not moved").isFalse();

        redis.start();
        TestLinks.await(link::up, "redis up again", 10);
        assertThat(ping().await().toString()).isEqualTo("PONG");
    }

    private Future<Response> ping() {
        return link.send(Request.cmd(Command.PING));
    }

    private static Throwable failure(Future<Response> answer) {
        try {
            answer.await();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("answered: " + answer.result());
    }
}

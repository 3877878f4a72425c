package dev.antler.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdempotencyKeysTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final String BODY = IdempotencyKeys.fingerprint("POST", "/suno/submit/music",
            "{\"prompt\":\"a\"}".getBytes(StandardCharsets.UTF_8));

    @ParameterizedTest
    @EnumSource(Engine.class)
    void oneOfTwentyConcurrentClaimsWinsAndTheOthersGetItsAnswer(Engine engine) throws Exception {
        Database database = databases.openFresh(engine);
        IdempotencyKeys keys = new IdempotencyKeys(database, new ManualClock(Instant.parse("2026-01-01T00:00:00Z")));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<IdempotencyKeys.Claim>> claims = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    IdempotencyKeys.Claim claim = keys.claimOrWait(7, "k-1", BODY, Duration.ofSeconds(30));
                    if (claim instanceof IdempotencyKeys.Won) {
                        Thread.sleep(200); // the submit
                        keys.complete(7, "k-1", 200, "{\"data\":\"task-1\"}");
                    }
                    return claim;
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<IdempotencyKeys.Claim> c : claims) {
                IdempotencyKeys.Claim claim = c.get(60, TimeUnit.SECONDS);
                if (claim instanceof IdempotencyKeys.Won) {
                    won++;
                } else {
                    assertThat(claim).isEqualTo(new IdempotencyKeys.Replay(200, "{\"data\":\"task-1\"}"));
                }
            }
            assertThat(won).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anotherBodyConflictsAReleasedKeyIsFreeAndAKeyExpiresAfterADay(Engine engine) throws Exception {
        Database database = databases.openFresh(engine);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        IdempotencyKeys keys = new IdempotencyKeys(database, clock);
        String other = IdempotencyKeys.fingerprint("POST", "/suno/submit/music", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(keys.claim(1, "k", BODY)).isInstanceOf(IdempotencyKeys.Won.class);
        assertThat(keys.claim(1, "k", other)).isInstanceOf(IdempotencyKeys.Conflict.class);
        assertThat(keys.claim(1, "k", BODY)).isInstanceOf(IdempotencyKeys.Busy.class);
        assertThat(keys.claim(2, "k", BODY)).as("keys are per user").isInstanceOf(IdempotencyKeys.Won.class);

        keys.release(1, "k");
        assertThat(keys.claim(1, "k", other)).isInstanceOf(IdempotencyKeys.Won.class);
        keys.complete(1, "k", 200, "{}");
        keys.release(1, "k");
        assertThat(keys.claim(1, "k", other)).as("a finished key is not released")
                .isEqualTo(new IdempotencyKeys.Replay(200, "{}"));

        clock.advanceSeconds(IdempotencyKeys.RETENTION.toSeconds() + 1);
        assertThat(keys.claim(1, "k", BODY)).isInstanceOf(IdempotencyKeys.Won.class);
    }
}

package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.cluster.ChangeNotices.Kind;
import dev.antler.config.ClusterConfig;
import dev.antler.config.DatabaseConfig;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelRegistry;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances' circuit breakers shared through their change notices (one store, a bus the test carries by
 * hand, the cluster thread run inline): an opening on one holds the other's breaker open at once over the bus,
 * or at the next read of the table without it, and is never published back; the opener's probe decides for
 * both — its success closes the other's breaker, its failure holds it again, so the other does not probe too.
 * Alone, an instance publishes nothing of its breakers.
 */
class BreakerNoticesTest {

    private static final ClusterConfig CONFIG = new ClusterConfig(null, null, 1_000L);
    /** Opens at 3 failures; open 40 s: an opening heard is held for its time left plus 10 to 20 s. */
    private static final ChannelHealth.Settings BREAKER = new ChannelHealth.Settings(3, 60_000, 40_000, 60_000);
    private static final Channel CHANNEL = new Channel(7, "flaky", "openai", "u", "k", Set.of(), Map.of(), 0, 1,
            Set.of("default"), Status.ACTIVE, null);

    private final ManualClock clock = ManualClock.now();
    private final HandBus bus = new HandBus();
    private Database database;
    private Instance a;
    private Instance b;
    private int live = 2;

    @BeforeEach
    void start() throws Exception {
        Path dir = Files.createTempDirectory("antler-breakers-");
        database = Database.open(new DatabaseConfig("jdbc:sqlite:" + dir.resolve("antler.db"), null, null, 2));
        a = new Instance("a");
        b = new Instance("b");
    }

    @AfterEach
    void stop() {
        a.notices.close();
        b.notices.close();
        database.close();
    }

    @Test
    void anOpeningCrossesTheBusAtOnceAndIsNotPublishedBack() {
        bus.listening();
        a.failures(3);

        assertThat(b.health().tryAcquire(CHANNEL)).as("skipped by b at once").isFalse();
        assertThat(b.health().view(CHANNEL.id())).isEqualTo(new ChannelHealth.View("open", 0, null, true));
        clock.advanceSeconds(6);
        a.notices.tick();
        b.notices.tick();
        assertThat(published()).as("a's opening only: b publishes nothing it heard").isEqualTo(1);
        assertThat(a.health().view(CHANNEL.id()).openedElsewhere()).isFalse();
    }

    @Test
    void withoutTheBusTheOpeningArrivesAtTheNextReadOfTheTable() {
        a.failures(3);
        assertThat(b.health().tryAcquire(CHANNEL)).as("not read yet").isTrue();

        clock.advanceSeconds(1);
        b.notices.tick();
        assertThat(b.health().tryAcquire(CHANNEL)).isFalse();
    }

    @Test
    void theOpenersProbeDecidesForBoth() {
        bus.listening();
        a.failures(3);
        clock.advanceSeconds(40);
        assertThat(a.health().tryAcquire(CHANNEL)).as("a's probe").isTrue();
        assertThat(b.health().tryAcquire(CHANNEL)).as("b waits for it").isFalse();
        a.health().onFailure(CHANNEL);

        clock.advanceSeconds(40 + 9);
        assertThat(b.health().tryAcquire(CHANNEL)).as("held again by a's failed probe").isFalse();
        assertThat(a.health().tryAcquire(CHANNEL)).as("a's next probe").isTrue();
        a.health().onSuccess(CHANNEL);
        assertThat(b.health().view(CHANNEL.id()).state()).isEqualTo("closed");
        assertThat(b.health().tryAcquire(CHANNEL)).isTrue();
        assertThat(published()).as("two openings and a close").isEqualTo(3);
    }

    @Test
    void aloneNothingIsPublished() {
        live = 1;
        a.failures(3);
        clock.advanceSeconds(40);
        assertThat(a.health().tryAcquire(CHANNEL)).isTrue();
        a.health().onSuccess(CHANNEL);

        assertThat(published()).isZero();
    }

    private long published() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM cluster_changes WHERE kind = :kind")
                .bind("kind", Kind.BREAKER.wireName()).mapTo(Long.class).one());
    }

    /** One gateway instance's notices and channel registry, wired as the gateway wires them. */
    private final class Instance {
        final ClusterNotices notices;
        final ChannelRegistry registry = new ChannelRegistry(new ChannelHealth(clock, BREAKER));

        Instance(String id) {
            notices = new ClusterNotices(new StoreChangeNotices(database.jdbi(), clock, CONFIG, id), Runnable::run,
                    clock, CONFIG, id);
            registry.replace(List.of(CHANNEL));
            BreakerNotices breakers = new BreakerNotices(registry, notices, Runnable::run, clock, () -> live);
            registry.health().onBreakerChange(breakers);
            notices.subscribe(notice -> {
                if (notice.kind() == Kind.BREAKER) {
                    breakers.apply(notice.id());
                }
            });
            notices.carryOver(bus);
        }

        ChannelHealth health() {
            return registry.health();
        }

        void failures(int count) {
            for (int i = 0; i < count; i++) {
                health().onFailure(CHANNEL);
            }
        }
    }
}

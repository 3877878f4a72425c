package dev.antler.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.LedgerWriter;
import dev.antler.config.TasksConfig;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.TestLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The poller asks each family's upstream as its strategy says: in batches, one by one, or as a callback's fallback. */
class PollStrategyTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private Database database;
    private ManualClock clock;
    private LedgerWriter writer;
    private TaskEngine engine;
    private ChannelRegistry channels;

    @BeforeEach
    void setUp() {
        database = databases.openFresh(Engine.SQLITE);
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        writer = TestLedger.writer(database, new BalanceBook(), clock, 5, 64);
        engine = new TaskEngine(new TaskStore(database), writer, clock, t -> {});
        channels = new ChannelRegistry();
        channels.replace(List.of(new Channel(1, "c", "fake", "http://127.0.0.1:1", "k", Set.of(), Map.of(), 0, 1,
                Set.of("default"), Status.ACTIVE, null)));
    }

    @AfterEach
    void tearDown() {
        writer.close();
    }

    /** A family that records the size of each poll call and reports nothing. */
    private static class Recording implements TaskFamily {
        final PollStrategy strategy;
        final List<Integer> calls = new ArrayList<>();

        Recording(PollStrategy strategy) {
            this.strategy = strategy;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public PollStrategy polling() {
            return strategy;
        }

        @Override
        public Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
            calls.add(tasks.size());
            return Map.of();
        }

        @Override
        public byte[] render(Task task) {
            return new byte[0];
        }
    }

    private List<Integer> pollFive(PollStrategy strategy) {
        for (int i = 0; i < 5; i++) {
            long now = clock.millis();
            engine.store().insert(new Task(0, TaskIds.next(), "fake", "RUN", null, 1, 1, 1, "up-" + i,
                    TaskStatus.SUBMITTED, "0%", null, Task.Charge.perCall(0), null, "{}", null, now, null, null, now));
        }
        Recording family = new Recording(strategy);
        TaskPoller poller = new TaskPoller(engine, Map.of("fake", family), channels,
                new PollLease(database, "p", "me", 60_000, clock),
                new TasksConfig(1000, 3600, 60_000, 60_000, 1, 0, null, null, null), clock);
        poller.pollOnce();
        return family.calls;
    }

    @Test
    void aBatchFamilyIsAskedForUpToItsBatchSizePerCall() {
        assertThat(pollFive(PollStrategy.batch(2))).containsExactly(2, 2, 1);
    }

    @Test
    void aSingleTaskFamilyIsAskedOncePerTask() {
        assertThat(pollFive(PollStrategy.single())).containsExactly(1, 1, 1, 1, 1);
    }

    /** A one-task-per-call family whose upstream fails the first task it is asked about, as {@code failure} says. */
    private List<Integer> pollFiveFailingFirst(RuntimeException failure) {
        for (int i = 0; i < 5; i++) {
            long now = clock.millis();
            engine.store().insert(new Task(0, TaskIds.next(), "fake", "RUN", null, 1, 1, 1, "up-" + i,
                    TaskStatus.SUBMITTED, "0%", null, Task.Charge.perCall(0), null, "{}", null, now, null, null, now));
        }
        Recording family = new Recording(PollStrategy.single()) {
            @Override
            public Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
                super.poll(channel, tasks);
                if (calls.size() == 1) {
                    throw failure;
                }
                return Map.of();
            }
        };
        new TaskPoller(engine, Map.of("fake", family), channels, new PollLease(database, "p", "me", 60_000, clock),
                new TasksConfig(1000, 3600, 60_000, 60_000, 1, 0, null, null, null), clock).pollOnce();
        return family.calls;
    }

    @Test
    void anErrorAnswerAboutOneTaskDoesNotKeepTheChannelsOtherTasksFromBeingAsked() {
        assertThat(pollFiveFailingFirst(new IllegalStateException("fetch: HTTP 500 (expected: 200)")))
                .containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void aChannelThatCannotBeReachedIsLeftUntilTheNextRound() {
        assertThat(pollFiveFailingFirst(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                "upstream: c did not answer (ConnectException)"))).containsExactly(1);
    }

    @Test
    void aCallbackFamilyIsPolledOnlyForTasksWithoutNewsForItsFallback() {
        Recording family = new Recording(PollStrategy.callback(60_000));
        long now = clock.millis();
        engine.store().insert(new Task(0, TaskIds.next(), "fake", "RUN", null, 1, 1, 1, "up-cb",
                TaskStatus.SUBMITTED, "0%", null, Task.Charge.perCall(0), null, "{}", null, now, null, null, now));
        TaskPoller poller = new TaskPoller(engine, Map.of("fake", family), channels,
                new PollLease(database, "p", "me", 60_000, clock),
                new TasksConfig(1000, 3600, 60_000, 60_000, 1, 0, null, null, null), clock);
        poller.pollOnce();
        assertThat(family.calls).as("fresh news from the callback: not polled").isEmpty();
        clock.advanceSeconds(61);
        poller.pollOnce();
        assertThat(family.calls).containsExactly(1);
    }
}

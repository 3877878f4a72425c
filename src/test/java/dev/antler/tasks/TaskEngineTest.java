package dev.antler.tasks;

import dev.antler.testing.TestLedger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.GuardedChange;
import dev.antler.billing.Hold;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.config.TasksConfig;
import dev.antler.routing.ChannelRegistry;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's money rules against each store, with time moved by hand (no sleeping). */
class TaskEngineTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final long USD = 1_000_000_000L;
    private static final long OPENING = 10 * USD;
    private static final long KEY_LIMIT = 5 * USD;
    private static final long COST = 2 * USD;

    private record Setup(Database database, AccountStore accounts, BalanceBook book, LedgerWriter writer,
                         TaskEngine engine, User user, ApiKey key, ManualClock clock) implements AutoCloseable {
        @Override
        public void close() {
            writer.close();
        }

        long stored(String sql) {
            return database.jdbi().withHandle(h -> h.createQuery(sql).bind("id", user.id()).mapTo(Long.class).one());
        }

        void flush() throws Exception {
            writer.flushed().get(30, TimeUnit.SECONDS);
        }

        Task newTask(String chargeState) {
            long now = clock.millis();
            return new Task(0, "pub-" + System.nanoTime(), "midjourney", "IMAGINE", null, user.id(), key.id(), 1,
                    "up-" + System.nanoTime(), TaskStatus.SUBMITTED, "0%", null,
                    new Task.Charge(COST, 0, 1, chargeState, "none", "open"), null,
                    "{}", null, now, null, null, now);
        }

        /** A task priced per unit: {@code units} held and charged at {@code unitNanos} each. */
        Task perUnitTask(long unitNanos, long units) {
            Task t = newTask("pending");
            return new Task(0, t.publicId(), t.family(), t.action(), null, t.userId(), t.keyId(), 1, t.upstreamId(),
                    TaskStatus.SUBMITTED, "0%", null, Task.Charge.pending(unitNanos * units, unitNanos, units), null,
                    "{}", null, t.submittedAt(), null, null, t.updatedAt());
        }

        /** Opens {@code task} as the chain does: its cost held and settled in the book, its charge queued. */
        Task open(Task task) throws Exception {
            Hold hold = book.hold(user, key, task.costNanos());
            book.settle(hold, task.costNanos());
            Task opened = engine.open(task, usage(task));
            flush();
            return engine.store().find(opened.id()).orElseThrow();
        }

        /** {@code threads} pollers applying {@code update} to {@code task} at once; how many won. */
        long race(Task task, TaskUpdate update, int threads) throws Exception {
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
                var start = new java.util.concurrent.CountDownLatch(1);
                var wins = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
                for (int i = 0; i < threads; i++) {
                    wins.add(pool.submit(() -> {
                        start.await();
                        return engine.apply(task, update).isPresent();
                    }));
                }
                start.countDown();
                long won = 0;
                for (var w : wins) {
                    won += w.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                flush();
                return won;
            }
        }

        UsageRecord usage(Task task) {
            return new UsageRecord(task.publicId(), clock.millis(), user.id(), key.id(), "mj.imagine", "mj_imagine",
                    null, 1L, 200, false, new Usage(0, 0, 0, 0, 1, 0), task.costNanos(), 0, null, "complete", "request",
                    1, null);
        }
    }

    private static Setup setup(Engine engine) throws Exception {
        return setup(engine, 5);
    }

    private static Setup setup(Engine engine, int lingerMs) throws Exception {
        Database database = databases.openFresh(engine);
        ManualClock clock = new ManualClock(Instant.parse("2025-01-02T03:04:05Z"));
        AccountStore accounts = new AccountStore(database, clock);
        BalanceBook book = new BalanceBook();
        LedgerWriter writer = TestLedger.writer(database, book, clock, lingerMs, 64);
        User user = accounts.createUser("task-user", "default", Status.ACTIVE);
        ApiKey key = accounts.createKey(user.id(), "limited", ApiKeys.hash("sk-task-user-1"), "sk-…1", null,
                KEY_LIMIT, List.of());
        writer.credit(user.id(), OPENING, "topup", "opening", null).get(30, TimeUnit.SECONDS);
        TaskEngine taskEngine = new TaskEngine(new TaskStore(database), writer, clock, t -> {});
        return new Setup(database, accounts, book, writer, taskEngine, accounts.findUser(user.id()).orElseThrow(),
                key, clock);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTimedOutTaskIsRefundedOnceReversingBalanceAndUsedTotals(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Hold hold = s.book.hold(s.user, s.key, COST);
            s.book.settle(hold, COST);
            Task task = s.engine.open(s.newTask("pending"), s.usage(s.newTask("pending")));
            s.flush();
            assertThat(s.engine.store().find(task.id()).orElseThrow().charge().chargeState()).isEqualTo("charged");
            assertThat(s.book.balance(s.user)).isEqualTo(OPENING - COST);
            assertThat(s.book.keyRemaining(s.key)).isEqualTo(KEY_LIMIT - COST);

            TaskPoller poller = new TaskPoller(s.engine, Map.of(), new ChannelRegistry(),
                    new PollLease(s.database, "test", "me", 1000, s.clock),
                    new TasksConfig(1000, 60, 1000, 1000, 1, 0, null, null, null), s.clock);
            assertThat(poller.sweepOnce()).isZero();
            s.clock.advanceSeconds(61);
            assertThat(poller.sweepOnce()).isEqualTo(1);
            assertThat(poller.sweepOnce()).isZero();
            assertThat(s.engine.apply(task, TaskUpdate.failure("late"))).isEmpty();
            s.flush();

            Task ended = s.engine.store().find(task.id()).orElseThrow();
            assertThat(ended.status()).isEqualTo(TaskStatus.FAILURE);
            assertThat(ended.refunded()).isTrue();
            assertThat(ended.failReason()).startsWith("timeout: ");
            assertThat(s.stored("SELECT balance_nanos FROM users WHERE id = :id")).isEqualTo(OPENING);
            assertThat(s.stored("SELECT used_nanos FROM users WHERE id = :id")).isZero();
            assertThat(s.stored("SELECT used_nanos FROM api_keys WHERE user_id = :id")).isZero();
            assertThat(s.stored("SELECT COUNT(*) FROM ledger WHERE kind = 'refund' AND user_id = :id")).isEqualTo(1);
            assertThat(s.stored("SELECT SUM(amount_nanos) FROM ledger WHERE user_id = :id")).isEqualTo(OPENING);
            assertThat(s.book.balance(s.user)).isEqualTo(OPENING);
            assertThat(s.book.keyRemaining(s.key)).isEqualTo(KEY_LIMIT);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aChargeInterruptedByAStopIsWrittenOnceAndARefundWaitsForIt(Engine engine) throws Exception {
        // The writer lingers long enough for both resumeCharges calls to queue the charge before a commit
        // (with 5 ms, a slow store query on a busy machine let the first commit land in between).
        try (Setup s = setup(engine, 250)) {
            Task task = s.engine.store().insert(s.newTask("pending"));   // the charge never reached the store
            assertThat(s.engine.apply(task, TaskUpdate.failure("upstream failed"))).isEmpty();
            s.flush();
            assertThat(s.stored("SELECT COUNT(*) FROM ledger WHERE kind = 'refund' AND user_id = :id"))
                    .as("nothing charged, nothing refunded").isZero();

            assertThat(s.engine.resumeCharges()).isEqualTo(1);
            assertThat(s.engine.resumeCharges()).isEqualTo(1);   // queued twice before the first commit
            s.flush();
            assertThat(s.engine.resumeCharges()).isZero();
            assertThat(s.stored("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND user_id = :id")).isEqualTo(1);
            assertThat(s.stored("SELECT balance_nanos FROM users WHERE id = :id")).isEqualTo(OPENING - COST);

            assertThat(s.engine.apply(s.engine.store().find(task.id()).orElseThrow(),
                    TaskUpdate.failure("upstream failed"))).isPresent();
            s.flush();
            assertThat(s.stored("SELECT balance_nanos FROM users WHERE id = :id")).isEqualTo(OPENING);
            assertThat(s.stored("SELECT SUM(amount_nanos) FROM ledger WHERE user_id = :id")).isEqualTo(OPENING);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aGuardedChargeItsGuardRejectsReleasesWhatTheBookHeldPending(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Hold hold = s.book.hold(s.user, s.key, COST);
            s.book.settle(hold, COST);
            assertThat(s.book.balance(s.user)).isEqualTo(OPENING - COST);
            Task task = s.newTask("pending");
            boolean applied = s.writer.guarded(new GuardedChange(s.usage(task), s.user.id(), s.key.id(), -COST, COST,
                    "charge", task.publicId(), null, true, h -> false, null)).get(30, TimeUnit.SECONDS);
            assertThat(applied).isFalse();
            assertThat(s.book.balance(s.user)).isEqualTo(OPENING);
            assertThat(s.book.keyRemaining(s.key)).isEqualTo(KEY_LIMIT);
            assertThat(s.stored("SELECT balance_nanos FROM users WHERE id = :id")).isEqualTo(OPENING);
            assertThat(s.stored("SELECT COUNT(*) FROM usage_logs WHERE user_id = :id")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theLeaseIsHeldByOneAndTakenOverWhenItExpires(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            PollLease a = new PollLease(s.database, "poller", "a", 30_000, s.clock);
            PollLease b = new PollLease(s.database, "poller", "b", 30_000, s.clock);
            assertThat(a.tryHold()).isTrue();
            assertThat(b.tryHold()).isFalse();
            s.clock.advanceSeconds(20);
            assertThat(a.tryHold()).as("renewed").isTrue();
            s.clock.advanceSeconds(20);
            assertThat(b.tryHold()).as("still within the renewed lease").isFalse();
            s.clock.advanceSeconds(11);
            assertThat(b.tryHold()).as("expired: taken over").isTrue();
            assertThat(a.tryHold()).isFalse();
            b.release();
            assertThat(a.tryHold()).as("released on a graceful stop").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aChangeOfATaskWithAHookIsOwedUntilThatVeryStateIsSettled(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Task plain = s.newTask("charged");
            Task hooked = s.engine.store().insert(new Task(0, plain.publicId(), plain.family(), plain.action(), null,
                    plain.userId(), plain.keyId(), 7, "up-hooked", TaskStatus.SUBMITTED, "0%", null,
                    new Task.Charge(COST, 0, 1, "charged", "none", "open"), "https://hooks.example.com/mj", "{}", null, s.clock.millis(), null, null, s.clock.millis()));
            Task silent = s.engine.store().insert(s.newTask("charged"));
            assertThat(s.engine.store().webhooksDue(10)).isEmpty();
            assertThat(s.engine.store().findByUpstream("midjourney", 7, "up-hooked")).extracting(Task::id)
                    .containsExactly(hooked.id());
            assertThat(s.engine.store().findByUpstream("midjourney", 8, "up-hooked")).isEmpty();

            s.clock.advanceSeconds(1);
            Task tenPercent = s.engine.apply(hooked, new TaskUpdate(TaskStatus.IN_PROGRESS, "10%", null, null, null))
                    .orElseThrow();
            s.engine.apply(silent, new TaskUpdate(TaskStatus.IN_PROGRESS, "10%", null, null, null)).orElseThrow();
            assertThat(s.engine.store().webhooksDue(10)).extracting(Task::id).containsExactly(hooked.id());

            s.clock.advanceSeconds(1);
            Task fiftyPercent = s.engine.apply(tenPercent,
                    new TaskUpdate(TaskStatus.IN_PROGRESS, "50%", null, null, null)).orElseThrow();
            s.engine.store().webhookSettled(tenPercent);
            assertThat(s.engine.store().webhooksDue(10)).as("an older state's delivery does not settle the newer")
                    .extracting(Task::id).containsExactly(hooked.id());
            s.engine.store().webhookSettled(fiftyPercent);
            assertThat(s.engine.store().webhooksDue(10)).isEmpty();
        }
    }

    private static final long TENTH = USD / 10;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTaskSettledForLessThanItsChargeRefundsTheDifferenceOnceUnderRacingPollers(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Task task = s.open(s.perUnitTask(TENTH, 10));   // 10 s of video held and charged: $1
            assertThat(s.book.balance(s.user)).isEqualTo(OPENING - USD);

            TaskUpdate madeSix = new TaskUpdate(TaskStatus.SUCCESS, "100%", null, null, null).withUnits(6);
            assertThat(s.race(task, madeSix, 8)).isEqualTo(1);
            assertThat(s.engine.apply(task, madeSix)).isEmpty();

            Task ended = s.engine.store().find(task.id()).orElseThrow();
            assertThat(ended.charge()).isEqualTo(new Task.Charge(6 * TENTH, TENTH, 6, "charged", "none", "settled"));
            assertThat(s.stored("SELECT COUNT(*) FROM ledger WHERE kind = 'refund' AND user_id = :id")).isEqualTo(1);
            assertThat(s.stored("SELECT balance_nanos FROM users WHERE id = :id")).isEqualTo(OPENING - 6 * TENTH);
            assertThat(s.stored("SELECT SUM(amount_nanos) FROM ledger WHERE user_id = :id"))
                    .isEqualTo(OPENING - 6 * TENTH);
            assertThat(s.stored("SELECT used_nanos FROM users WHERE id = :id")).isEqualTo(6 * TENTH);
            assertThat(s.stored("SELECT used_nanos FROM api_keys WHERE user_id = :id")).isEqualTo(6 * TENTH);
            assertThat(s.book.balance(s.user)).isEqualTo(OPENING - 6 * TENTH);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTaskThatMadeMoreThanItsChargeIsChargedTheDifferenceOnce(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Task task = s.open(s.perUnitTask(TENTH, 4));   // held for 4 s, the upstream made 10
            TaskUpdate madeTen = new TaskUpdate(TaskStatus.SUCCESS, "100%", null, null, null).withUnits(10);
            assertThat(s.race(task, madeTen, 8)).isEqualTo(1);

            Task ended = s.engine.store().find(task.id()).orElseThrow();
            assertThat(ended.costNanos()).isEqualTo(USD);
            assertThat(ended.charge().settleState()).isEqualTo("settled");
            assertThat(s.stored("SELECT COUNT(*) FROM ledger WHERE kind = 'charge' AND user_id = :id")).isEqualTo(2);
            assertThat(s.stored("SELECT SUM(amount_nanos) FROM ledger WHERE user_id = :id")).isEqualTo(OPENING - USD);
            assertThat(s.stored("SELECT balance_nanos FROM users WHERE id = :id")).isEqualTo(OPENING - USD);
            assertThat(s.stored("SELECT used_nanos FROM api_keys WHERE user_id = :id")).isEqualTo(USD);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCompletionWithoutUnitsOrOnAPerCallTaskLeavesTheChargeAsItIs(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Task perUnit = s.open(s.perUnitTask(TENTH, 5));
            Task perCall = s.open(s.newTask("pending"));
            TaskUpdate done = new TaskUpdate(TaskStatus.SUCCESS, "100%", null, null, null);
            assertThat(s.engine.apply(perUnit, done)).isPresent();
            assertThat(s.engine.apply(perCall, done.withUnits(3))).isPresent();
            s.flush();
            assertThat(s.engine.store().find(perUnit.id()).orElseThrow().costNanos()).isEqualTo(5 * TENTH);
            assertThat(s.engine.store().find(perCall.id()).orElseThrow().costNanos()).isEqualTo(COST);
            assertThat(s.stored("SELECT SUM(amount_nanos) FROM ledger WHERE user_id = :id"))
                    .isEqualTo(OPENING - 5 * TENTH - COST);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedPerUnitTaskIsRefundedInFullOnce(Engine engine) throws Exception {
        try (Setup s = setup(engine)) {
            Task task = s.open(s.perUnitTask(TENTH, 10));
            assertThat(s.race(task, TaskUpdate.failure("upstream: content moderated"), 8)).isEqualTo(1);
            assertThat(s.stored("SELECT SUM(amount_nanos) FROM ledger WHERE user_id = :id")).isEqualTo(OPENING);
            assertThat(s.stored("SELECT used_nanos FROM users WHERE id = :id")).isZero();
        }
    }
}

package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.Hold;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.config.ClusterConfig;
import dev.antler.core.GatewayException;
import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.TestLedger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Three instances on one store (each its own cluster membership, balance book and ledger writer, as three processes
 * have) take store holds for one user and write the charges that end them, all at once. The takers lock the user's
 * row before they insert their holds, and the writers lock it before their ledger rows' foreign keys would: no hold's
 * transaction has to be tried again because the instances' transactions deadlocked (on MariaDB they did, some holds
 * three times in a row: 503 store_unavailable), no ledger write fails, and every hold leaves with its charge. Skipped, saying why, on a
 * server that is not reachable.
 */
class StoreHoldsContentionTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final long USD = 1_000_000_000L;
    private static final int INSTANCES = 3;
    private static final int TAKERS_PER_INSTANCE = 4;
    private static final int REQUESTS_PER_TAKER = 40;
    private static final long HOLD = 195_000_000L;
    private static final long CHARGE = 110_000_000L;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void takersAndWritersOnOneUserQueueInsteadOfDeadlocking(Engine engine) throws Exception {
        Database database = databases.openFresh(engine);
        Clock clock = Clock.systemUTC();
        AccountStore accounts = new AccountStore(database, clock);
        long userId = accounts.createUser("contended", "default", Status.ACTIVE).id();
        List<ApiKey> keys = List.of(
                accounts.createKey(userId, "limited", ApiKeys.hash("sk-contended-1"), "sk-…1", null, 1_000 * USD,
                        List.of()),
                accounts.createKey(userId, "open", ApiKeys.hash("sk-contended-2"), "sk-…2", null, null, List.of()));
        List<Instance> instances = new ArrayList<>();
        ExecutorService takers = Executors.newFixedThreadPool(INSTANCES * TAKERS_PER_INSTANCE);
        Map<String, Integer> refusals = new ConcurrentHashMap<>();
        Logger takerLog = (Logger) LoggerFactory.getLogger(StoreHolds.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        takerLog.addAppender(logged);
        try {
            for (int i = 0; i < INSTANCES; i++) {
                instances.add(Instance.start(database, clock));
            }
            instances.get(0).ledger.credit(userId, 1_000 * USD, "topup", "opening", null).get(30, TimeUnit.SECONDS);
            for (Instance instance : instances) {
                instance.awaitLive(INSTANCES);
            }
            User user = accounts.findUser(userId).orElseThrow();
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                Instance instance = instances.get(i);
                for (int t = 0; t < TAKERS_PER_INSTANCE; t++) {
                    String prefix = "req-" + i + "-" + t + "-";
                    running.add(CompletableFuture.runAsync(() -> {
                        for (int r = 0; r < REQUESTS_PER_TAKER; r++) {
                            String refusal = instance.request(user, keys.get(r % keys.size()), prefix + r, clock);
                            if (refusal != null) {
                                refusals.merge(refusal, 1, Integer::sum);
                            }
                        }
                    }, takers));
                }
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            for (Instance instance : instances) {
                instance.ledger.flushed().get(30, TimeUnit.SECONDS);
            }

            assertThat(refusals).as("holds refused").isEmpty();
            assertThat(logged.list).map(ILoggingEvent::getFormattedMessage).as("hold transactions tried again")
                    .noneMatch(m -> m.contains("a hold's transaction failed"));
            for (Instance instance : instances) {
                assertThat(instance.book.backlog().lastFailure()).as("a ledger write that failed").isNull();
            }
            long stored = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM cluster_holds")
                    .mapTo(Long.class).one());
            assertThat(stored).as("holds left in the store after their charges").isZero();
            long requests = (long) INSTANCES * TAKERS_PER_INSTANCE * REQUESTS_PER_TAKER;
            long balance = accounts.findUser(userId).orElseThrow().balanceNanos();
            assertThat(balance).isEqualTo(accounts.ledgerSum(userId)).isEqualTo(1_000 * USD - requests * CHARGE);
        } finally {
            takerLog.detachAppender(logged);
            takers.shutdownNow();
            for (Instance instance : instances) {
                instance.close();
            }
        }
    }

    /** One gateway instance's part: its cluster membership, balance book and ledger writer. */
    private record Instance(Cluster cluster, BalanceBook book, LedgerWriter ledger) implements AutoCloseable {

        static Instance start(Database database, Clock clock) {
            Cluster cluster = Cluster.start(database, new ClusterConfig(20L, 600_000L, 1_000L), clock);
            BalanceBook book = new BalanceBook();
            LedgerWriter ledger = TestLedger.writer(database, book, clock, 2, 8);
            cluster.shareHolds(book, ledger);
            return new Instance(cluster, book, ledger);
        }

        void awaitLive(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cluster.liveInstances() < count) {
                assertThat(System.nanoTime()).as("%d instances live", count).isLessThan(deadline);
                Thread.sleep(10);
            }
        }

        /** A request as the relay makes it: a hold in memory, recorded in the store, then settled and charged. */
        String request(User user, ApiKey key, String requestId, Clock clock) {
            Hold hold = book.hold(user, key, HOLD);
            try {
                book.confirm(hold, requestId, Runnable::run).join();
            } catch (CompletionException e) {
                book.settle(hold, 0);
                return e.getCause() instanceof GatewayException g ? g.status() + " " + g.code() : e.toString();
            }
            book.settle(hold, CHARGE);
            ledger.settle(new UsageRecord(requestId, clock.millis(), user.id(), key.id(), "chat", "gpt-4o-mini", null,
                    null, 200, false, Usage.tokens(10, 50), CHARGE, 100, null, "complete", "reported", 1, null));
            return null;
        }

        @Override
        public void close() {
            ledger.close();
            cluster.close();
        }
    }
}

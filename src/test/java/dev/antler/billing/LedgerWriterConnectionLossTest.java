package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server database whose connections are cut again and again (as by a restart or a network fault) while
 * settlements are written: every settlement is written exactly once, in spite of transactions broken in the
 * middle or at their commit, and balance == Σ ledger == opening − Σ usage.
 */
class LedgerWriterConnectionLossTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final int SETTLEMENTS = 3_000;
    private static final long OPENING = 1_000_000_000L;

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void everySettlementIsWrittenOnceWhileConnectionsAreCut(Engine engine, @TempDir Path dir) throws Exception {
        Database database = databases.openFresh(engine);
        AccountStore accounts = new AccountStore(database, Clock.systemUTC());
        User user = accounts.createUser("cut-" + engine.name().toLowerCase(), "default", Status.ACTIVE);
        ApiKey key = accounts.createKey(user.id(), "k", ApiKeys.hash("sk-cut-" + engine), "…", null, null, List.of());
        DeadLetters deadLetters = new DeadLetters(dir.resolve("dead.jsonl"), 0);
        String name = TestDatabases.nameOf(engine, database);
        AtomicBoolean cutting = new AtomicBoolean(true);
        AtomicInteger cuts = new AtomicInteger();
        long charged = 0;
        try (LedgerWriter writer = new LedgerWriter(database, new BalanceBook(), deadLetters, Clock.systemUTC(),
                new LedgerWriter.Timing(5, 64, 10_000))) {
            writer.credit(user.id(), OPENING, "topup", "opening", null).get(30, TimeUnit.SECONDS);
            Thread cutter = Thread.ofPlatform().start(() -> {
                while (cutting.get()) {
                    cuts.addAndGet(databases.killConnections(engine, name));
                    try {
                        Thread.sleep(40);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            for (int i = 0; i < SETTLEMENTS; i++) {
                long cost = 1_000 + i;
                charged += cost;
                writer.settle(new UsageRecord("req-cut-" + engine + "-" + i, i, user.id(), key.id(),
                        "chat.completions", "gpt-4o-mini", null, null, 200, false, Usage.tokens(10, 5), cost, 1,
                        null, "complete", "reported", 1, null));
                if (i % 100 == 99) {
                    Thread.sleep(50); // traffic spread over the cuts, many batches
                }
            }
            cutting.set(false);
            cutter.join();
            writer.flushed().get(60, TimeUnit.SECONDS);
        }
        assertThat(cuts.get()).as("connections cut").isPositive();
        assertThat(deadLetters.count()).isZero();
        long rows = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_logs")
                .mapTo(Long.class).one());
        long distinct = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(DISTINCT request_id) FROM usage_logs").mapTo(Long.class).one());
        User stored = accounts.findUser(user.id()).orElseThrow();
        assertThat(rows).as("usage rows").isEqualTo(SETTLEMENTS).isEqualTo(distinct);
        assertThat(stored.balanceNanos()).isEqualTo(OPENING - charged).isEqualTo(accounts.ledgerSum(user.id()));
        System.out.printf("%s: %d connections cut while %d settlements were written; %d rows, balance reconciled%n",
                engine, cuts.get(), SETTLEMENTS, rows);
    }
}

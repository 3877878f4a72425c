package dev.antler.billing;

import dev.antler.testing.TestLedger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One entry the store rejects must not block the settlements queued behind it. */
class LedgerWriterRecoveryTest {

    @Test
    void aRejectedEntryIsSetAsideAndTheRestIsWritten() throws Exception {
        Path directory = Files.createTempDirectory("antler-ledger-");
        try (Database database = Database.open(new DatabaseConfig("jdbc:sqlite:" + directory.resolve("a.db"), null,
                null, 2))) {
            AccountStore accounts = new AccountStore(database, Clock.systemUTC());
            User user = accounts.createUser("alice", "default", Status.ACTIVE);
            LedgerWriter writer = TestLedger.writer(database, new BalanceBook(), Clock.systemUTC(), 200, 100);
            try {
                // Queued together within one linger, so they land in the same batch.
                CompletableFuture<Long> bad = writer.credit(987_654, 5, "topup", null, "no such user");
                CompletableFuture<Long> good = writer.credit(user.id(), 7, "topup", null, "fine");
                writer.flushed().get(10, TimeUnit.SECONDS);

                assertThat(good.get()).isEqualTo(7);
                assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class);
                assertThat(accounts.ledgerSum(user.id())).isEqualTo(7);
                assertThat(accounts.findUser(user.id()).orElseThrow().balanceNanos()).isEqualTo(7);
            } finally {
                writer.close();
            }
        }
    }
}

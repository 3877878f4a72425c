package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.DeadLetters.Letter;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry the store rejects must not block the settlements queued behind it, and is kept in the
 * dead-letter file rather than only logged; a dead letter re-applied is applied exactly once.
 */
class LedgerWriterRecoveryTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @Test
    void aRejectedEntryGoesToTheDeadLetterFileAndTheRestIsWritten(@TempDir Path dir) throws Exception {
        try (Database database = open(dir)) {
            AccountStore accounts = new AccountStore(database, CLOCK);
            User user = accounts.createUser("alice", "default", Status.ACTIVE);
            DeadLetters deadLetters = new DeadLetters(dir.resolve("dead.jsonl"), 0);
            try (LedgerWriter writer = writer(database, deadLetters)) {
                // Queued together within one linger, so they land in the same batch.
                CompletableFuture<Long> bad = writer.credit(987_654, 5, "topup", "ref-bad", "no such user");
                CompletableFuture<Long> good = writer.credit(user.id(), 7, "topup", null, "fine");
                writer.flushed().get(10, TimeUnit.SECONDS);

                assertThat(good.get()).isEqualTo(7);
                assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class);
                assertThat(accounts.ledgerSum(user.id())).isEqualTo(7);
                assertThat(accounts.findUser(user.id()).orElseThrow().balanceNanos()).isEqualTo(7);

                List<Letter> letters = new DeadLetters(dir.resolve("dead.jsonl"), 0).list();
                assertThat(letters).singleElement().satisfies(l -> {
                    assertThat(l.reason()).isEqualTo(DeadLetters.REJECTED);
                    assertThat(l.userId()).isEqualTo(987_654);
                    assertThat(l.balanceDelta()).isEqualTo(5);
                    assertThat(l.reference()).isEqualTo("ref-bad");
                });
                // Rejected again on replay: it stays.
                assertThat(writer.replay(l -> true).get(10, TimeUnit.SECONDS))
                        .isEqualTo(new LedgerWriter.Replayed(0, 0, 1));
                assertThat(deadLetters.count()).isEqualTo(1);
            }
        }
    }

    @Test
    void aDeadLetterIsAppliedOnceHoweverOftenItIsReplayed(@TempDir Path dir) throws Exception {
        try (Database database = open(dir)) {
            AccountStore accounts = new AccountStore(database, CLOCK);
            User user = accounts.createUser("bob", "default", Status.ACTIVE);
            Letter letter = new Letter("letter-1", DeadLetters.UNWRITTEN_AT_STOP, "disk full", 1, user.id(), 0, 900,
                    0, "topup", "ref-1", null, null, null, 0);
            DeadLetters file = new DeadLetters(dir.resolve("dead.jsonl"), 0);
            file.append(List.of(letter));
            try (LedgerWriter writer = writer(database, file)) {
                assertThat(writer.replay(l -> true).get(10, TimeUnit.SECONDS))
                        .isEqualTo(new LedgerWriter.Replayed(1, 0, 0));
                assertThat(file.count()).isZero();
                // The file could not be rewritten after the commit (a crash): the same letter comes back.
                file.append(List.of(letter));
                assertThat(writer.replay(l -> true).get(10, TimeUnit.SECONDS))
                        .isEqualTo(new LedgerWriter.Replayed(0, 1, 0));
                assertThat(file.count()).isZero();
            }
            assertThat(accounts.findUser(user.id()).orElseThrow().balanceNanos()).isEqualTo(900)
                    .isEqualTo(accounts.ledgerSum(user.id()));
        }
    }

    @Test
    void aDeadLetterWhoseFirstCommitHappenedAfterAllIsNotAppliedAgain(@TempDir Path dir) throws Exception {
        try (Database database = open(dir)) {
            AccountStore accounts = new AccountStore(database, CLOCK);
            User user = accounts.createUser("cleo", "default", Status.ACTIVE);
            DeadLetters file = new DeadLetters(dir.resolve("dead.jsonl"), 0);
            try (LedgerWriter writer = writer(database, file)) {
                writer.credit(user.id(), 400, "topup", "first", null).get(10, TimeUnit.SECONDS);
                String writerId = database.jdbi().withHandle(h -> h.createQuery("SELECT writer_id FROM ledger_writers")
                        .mapTo(String.class).one());
                long committed = database.jdbi().withHandle(h -> WriterMark.lastBatch(h, writerId));
                // The stop saw that batch's commit fail and filed its entry; the commit had happened.
                file.append(List.of(new Letter("letter-2", DeadLetters.UNWRITTEN_AT_STOP, "commit failed", 1,
                        user.id(), 0, 400, 0, "topup", "first", null, null, writerId, committed)));
                assertThat(writer.replay(l -> true).get(10, TimeUnit.SECONDS))
                        .isEqualTo(new LedgerWriter.Replayed(0, 1, 0));
            }
            assertThat(accounts.findUser(user.id()).orElseThrow().balanceNanos()).isEqualTo(400)
                    .isEqualTo(accounts.ledgerSum(user.id()));
        }
    }

    private static LedgerWriter writer(Database database, DeadLetters deadLetters) {
        return new LedgerWriter(database, new BalanceBook(), deadLetters, CLOCK, new LedgerWriter.Timing(200, 100, 2_000));
    }

    private static Database open(Path dir) {
        return Database.open(new DatabaseConfig("jdbc:sqlite:" + dir.resolve("a.db"), null, null, 2));
    }
}

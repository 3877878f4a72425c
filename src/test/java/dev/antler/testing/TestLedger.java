package dev.antler.testing;

import dev.antler.billing.BalanceBook;
import dev.antler.billing.DeadLetters;
import dev.antler.billing.LedgerWriter;
import dev.antler.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;

/** Ledger writers for tests that drive one directly: a fresh dead-letter file, a 10 s stop wait. */
public final class TestLedger {

    private TestLedger() {}

    public static LedgerWriter writer(Database database, BalanceBook book, Clock clock, int lingerMs, int batchSize) {
        try {
            DeadLetters deadLetters = new DeadLetters(
                    Files.createTempDirectory("antler-dead-letters-").resolve("ledger-dead-letters.jsonl"), 0);
            return new LedgerWriter(database, book, deadLetters, clock,
                    new LedgerWriter.Timing(lingerMs, batchSize, 10_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

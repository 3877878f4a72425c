package dev.antler.billing;

import dev.antler.testing.TestLedger;
import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.config.DatabaseConfig;
import dev.antler.http.RequestIds;
import dev.antler.store.Database;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints what the ledger writer's thread spends per settled request on a SQLite store: CPU time and
 * allocated bytes, measured with the thread MXBean. A measuring tool, not a test: it asserts nothing.
 *
 * <pre>{@code
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.antler.billing.LedgerWriterCost [records] [users] [rounds]
 * }</pre>
 *
 * Settles the records as the relay does (one chat completion per request, one key per user, the
 * benchmark's flush settings: 50 ms linger, batches of up to 1000) after a warm-up of a quarter as many.
 */
public final class LedgerWriterCost {

    private static final int LINGER_MS = 50;
    private static final int BATCH_SIZE = 1000;
    private static final int MAX_BACKLOG = 4 * BATCH_SIZE;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int userCount = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 1; round <= rounds; round++) {
            measure(round, records, userCount);
        }
    }

    private static void measure(int round, int records, int userCount) throws Exception {
        Path directory = Files.createTempDirectory("antler-ledger-cost-");
        Path file = directory.resolve("antler.db");
        try (Database database = Database.open(new DatabaseConfig("jdbc:sqlite:" + file, null, null, 4))) {
            AccountStore accounts = new AccountStore(database, Clock.systemUTC());
            List<User> users = new ArrayList<>();
            List<ApiKey> keys = new ArrayList<>();
            for (int u = 0; u < userCount; u++) {
                User user = accounts.createUser("cost-" + u, "default", Status.ACTIVE);
                users.add(user);
                keys.add(accounts.createKey(user.id(), "k", ApiKeys.hash("sk-cost-" + u), "sk-…" + u, null, null,
                        List.of()));
            }
            try (LedgerWriter writer = TestLedger.writer(database, new BalanceBook(), Clock.systemUTC(), LINGER_MS,
                    BATCH_SIZE)) {
                long writerId = writerThreadId();
                settle(writer, users, keys, records / 4);
                ThreadUsage before = ThreadUsage.of(writerId);
                long started = System.nanoTime();
                settle(writer, users, keys, records);
                ThreadUsage after = ThreadUsage.of(writerId);
                long wallNanos = System.nanoTime() - started;
                System.out.printf("round %d: %d records, %d users: writer CPU %.2f us/record, allocated %d B/record, "
                                + "wall %.2f us/record, store %d MB%n", round, records, userCount,
                        (after.cpuNanos - before.cpuNanos) / 1e3 / records,
                        (after.allocatedBytes - before.allocatedBytes) / records, wallNanos / 1e3 / records,
                        (Files.size(file) + walSize(file)) >> 20);
            }
        } finally {
            try (var paths = Files.walk(directory)) {
                paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Settles {@code count} records, keeping the writer's backlog short, and waits until they are written. */
    private static void settle(LedgerWriter writer, List<User> users, List<ApiKey> keys, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            while (writer.backlogSize() > MAX_BACKLOG) {
                Thread.sleep(1);
            }
            int u = i % users.size();
            writer.settle(chat(users.get(u), keys.get(u), i));
        }
        writer.flushed().get(5, TimeUnit.MINUTES);
    }

    /** A settled chat completion as the relay writes it. */
    private static UsageRecord chat(User user, ApiKey key, int i) {
        return new UsageRecord(RequestIds.next(), System.currentTimeMillis(), user.id(), key.id(),
                "/v1/chat/completions", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", 1L, 200, false,
                new Usage(19 + i % 7, 10 + i % 13, 0, 0, 0, 0), 7_350 + i % 11, 2 + i % 3,
                1L + i % 2, "complete", "reported", 1, null, null);
    }

    private static long writerThreadId() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("antler-ledger-writer"))
                .mapToLong(Thread::threadId)
                .max()
                .orElseThrow();
    }

    private static long walSize(Path file) throws Exception {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    private record ThreadUsage(long cpuNanos, long allocatedBytes) {
        static ThreadUsage of(long threadId) {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            return new ThreadUsage(threads.getThreadCpuTime(threadId), threads.getThreadAllocatedBytes(threadId));
        }
    }
}

package dev.antler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.store.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What tests of several gateway processes on one store read and check: stored balances, ledgers, holds, health. */
public final class ClusterChecks {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ClusterChecks() {}

    public static long balance(Database database, String user) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT balance_nanos FROM users WHERE name = :name")
                .bind("name", user).mapTo(Long.class).one());
    }

    /** DESIGN invariant 1: every user's balance is the sum of their ledger rows, to the nano-dollar. */
    public static void assertLedgerInvariant(Database database) {
        List<long[]> rows = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT u.id, u.balance_nanos, (SELECT COALESCE(SUM(l.amount_nanos), 0) FROM ledger l
                        WHERE l.user_id = u.id) FROM users u""")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list());
        assertThat(rows).isNotEmpty();
        for (long[] row : rows) {
            assertThat(row[1]).as("user %d: balance == sum of ledger rows", row[0]).isEqualTo(row[2]);
        }
    }

    /**
     * After a run that spent {@code user} through several instances ({@code statuses}: its answers): once every
     * charge is written, the balance is no lower than {@code boundNanos} (one request's hold) under zero and every
     * user's ledger reconciles. Returns the balance.
     */
    public static long assertSpentWithinOneHold(Database database, String user, long boundNanos, Object statuses)
            throws InterruptedException {
        awaitNoStoredHolds(database);
        long balance = balance(database, user);
        assertThat(balance).as("balance after the run: %s", statuses).isGreaterThanOrEqualTo(-boundNanos);
        assertLedgerInvariant(database);
        return balance;
    }

    /** The stored holds end with their charges' writes: none left means every such charge is in the store. */
    public static void awaitNoStoredHolds(Database database) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM cluster_holds")
                .mapTo(Long.class).one()) > 0) {
            assertThat(System.nanoTime()).as("stored holds released within 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(500); // charges of holds kept in memory or in Redis are written within the writer's linger
    }

    /** Where {@code instance} takes its balance holds now: {@code redis} or {@code store} (its /health/ready). */
    public static String holdsOf(GatewayProcess instance) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return Json.MAPPER.readTree(body).path("details").path("redis").path("holds").asText();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every instance takes its holds in {@code where} ({@code redis} or {@code store}). */
    public static void awaitHolds(GatewayProcesses group, String where, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (GatewayProcess instance : group.all()) {
            String last;
            while (!(last = holdsOf(instance)).equals(where)) {
                assertThat(System.nanoTime()).as("instance %s takes its holds in %s within %d s (it says %s)",
                        instance.baseUrl(), where, seconds, last).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}

package dev.antler.health;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.ChaosMix;
import dev.antler.testing.FaultyUpstream;
import dev.antler.testing.FaultyUpstream.Fault;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.SmallDisk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mixed requests (chat JSON, chat SSE, embeddings, clients hanging up) from many
 * concurrent clients against upstreams that fail at random in every way {@link FaultyUpstream} knows.
 * Afterwards, for every user, to the nano-dollar: balance == opening − Σ usage cost == Σ ledger rows
 * (DESIGN invariant 1), and no balance is negative.
 */
class ChaosTest {

    private static final int REQUESTS = 3_000;
    private static final int CLIENTS = 48;
    private static final int USERS = 24;
    private static final long OPENING = 5_000_000_000L;
    private static final long SMALL_OPENING = 500_000L;

    @Test
    void theLedgerBalancesForEveryUserAfterChaos() throws Exception {
        chaos("", gw -> {}, "chaos");
    }

    /**
     * The same chaos with the store failing too: the SQLite file's filesystem is filled to the last byte
     * twice during the run and freed again. Paid requests past the bound get 503; every request answered
     * 200 has exactly one usage row; the ledger reconciles as without store faults.
     */
    @Test
    void theLedgerBalancesAfterChaosWithStoreOutages() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(64)) {
            String database = "database: { url: \"jdbc:sqlite:%s\" }\n".formatted(disk.path().resolve("antler.db"))
                    + "billing: { flush_interval_ms: 20, max_unwritten_age_ms: 1000, dead_letter_reserve_bytes: 0 }\n";
            chaos(database, gw -> {
                try {
                    for (int outage = 0; outage < 2; outage++) {
                        Thread.sleep(1_000);
                        disk.fill();
                        Thread.sleep(1_500);
                        disk.free();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "chaos with store outages");
        }
    }

    private void chaos(String storeYaml, Consumer<GatewayHarness> meanwhile, String title) throws Exception {
        Map<Fault, Integer> weights = ChaosMix.faults(Map.of(Fault.OK, 55, Fault.STALL_MID_STREAM, 3,
                Fault.STALL_BEFORE_HEAD, 3, Fault.GARBAGE_JSON, 5));
        List<FaultyUpstream> upstreams = ChaosMix.upstreams(1000, weights);
        Map<String, Long> openings = new TreeMap<>();
        String yaml = storeYaml + """
                health: { breaker_failures: 30, breaker_window_ms: 250, breaker_open_ms: 50, max_retry_after_ms: 20 }
                prices:
                  gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  text-embedding-3-small: { input_per_mtok: 0.02 }
                """ + ChaosMix.channels("chaos", upstreams)
                + ChaosMix.users("chaos", USERS, OPENING, SMALL_OPENING, u -> "", openings);

        Set<String> answered = ConcurrentHashMap.newKeySet();
        long started = System.nanoTime();
        try (GatewayHarness gw = GatewayHarness.start(yaml)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Map<String, AtomicInteger> outcomes = ChaosMix.run(REQUESTS, CLIENTS, 42,
                    (i, random) -> oneRequest(gw, http, random, answered), () -> meanwhile.accept(gw));
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            gw.awaitLedger();
            Thread.sleep(300); // answers cut by a client settle just after the client has gone
            gw.awaitLedger();

            Jdbi jdbi = gw.gateway().database().jdbi();
            ChaosMix.Reconciled reconciled = ChaosMix.reconcile(jdbi, openings, 0, "zero", answered);
            Map<String, Integer> injected = new TreeMap<>();
            int failures = 0;
            for (Fault fault : Fault.values()) {
                int n = upstreams.stream().mapToInt(u -> u.served(fault)).sum();
                if (n > 0) {
                    injected.put(fault.name(), n);
                }
                failures += fault == Fault.OK ? 0 : n;
            }
            int upstreamCalls = upstreams.stream().mapToInt(FaultyUpstream::requests).sum();
            int failedOver = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_logs WHERE attempts > 1 "
                    + "AND status_code = 200").mapTo(Integer.class).one());
            System.out.printf(title + ": %d requests from %d clients in %d ms; %d upstream calls, %d failures injected %s;"
                            + " client outcomes %s; %d answered after failover; %d usage rows; %s USD charged over %d users, reconciled to the"
                            + " nano-dollar (balance == opening - usage == ledger)%n",
                    REQUESTS, CLIENTS, elapsedMs, upstreamCalls, failures, injected, new TreeMap<>(outcomes),
                    failedOver, reconciled.usageRows(), reconciled.chargedUsd(), USERS);
            // Open breakers and Retry-After skip channels for a fixed time, so how many calls reach the upstreams
            // varies with the machine's speed: the faster the requests come, the more find every channel cooling
            // (with 100 ms pauses a fast run answered under a tenth with 200, the rest 503). The pauses above are
            // short enough that most requests reach an upstream however fast the run; the mix is what must show.
            assertThat(failures).isGreaterThan(100).isGreaterThan(upstreamCalls / 4);
            assertThat(reconciled.chargedNanos()).isPositive();
            assertThat(outcomes.getOrDefault("200", new AtomicInteger()).get()).isGreaterThan(REQUESTS / 10);
            assertThat(failedOver).isPositive();
        } finally {
            upstreams.forEach(FaultyUpstream::close);
        }
    }

    /** One random request; returns its outcome (the status, or how the client ended it). */
    private static String oneRequest(GatewayHarness gw, HttpClient http, Random random, Set<String> answered) {
        ChaosMix.Request request = ChaosMix.request(random, "chaos", USERS, true);
        try {
            if (random.nextInt(100) < 5) {
                // A client that reads the head and leaves.
                RawHttp.postAndHangUpAfter(gw, request.path(), key(request.user()), request.body(), "\r\n\r\n");
                return "client_left";
            }
            return ChaosMix.outcome(http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + request.path()))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + key(request.user()))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(request.body())).build(),
                    HttpResponse.BodyHandlers.ofString()), answered);
        } catch (java.io.IOException | AssertionError e) {
            return "cut";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

package dev.antler.health;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        Map<Fault, Integer> weights = new EnumMap<>(Fault.class);
        weights.put(Fault.OK, 55);
        weights.put(Fault.SERVER_ERROR, 8);
        weights.put(Fault.UNAVAILABLE, 6);
        weights.put(Fault.RATE_LIMIT_RETRY_AFTER, 6);
        weights.put(Fault.RESET_MID_STREAM, 5);
        weights.put(Fault.TRUNCATED_SSE, 5);
        weights.put(Fault.STALL_MID_STREAM, 3);
        weights.put(Fault.STALL_BEFORE_HEAD, 3);
        weights.put(Fault.GARBAGE_JSON, 5);
        weights.put(Fault.WRONG_CONTENT_TYPE, 4);
        List<FaultyUpstream> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            upstreams.add(FaultyUpstream.start().randomly(1000 + i, weights));
        }
        StringBuilder yaml = new StringBuilder(storeYaml).append("""
                health: { breaker_failures: 30, breaker_window_ms: 250, breaker_open_ms: 100, max_retry_after_ms: 100 }
                prices:
                  gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  text-embedding-3-small: { input_per_mtok: 0.02 }
                channels:
                """);
        for (int i = 0; i < upstreams.size(); i++) {
            yaml.append("  - { name: chaos-%d, base_url: \"%s\", key: sk-chaos-%d-0001, priority: %d, "
                    .formatted(i, upstreams.get(i).baseUrl(), i, i == 2 ? 0 : 10))
                    .append("idle_timeout_ms: 300, total_timeout_ms: 5000 }\n");
        }
        yaml.append("users:\n");
        Map<String, Long> openings = new TreeMap<>();
        for (int u = 0; u < USERS; u++) {
            String name = "chaos" + u;
            long opening = u < 2 ? SMALL_OPENING : OPENING;
            openings.put(name, opening);
            yaml.append("  - { name: %s, balance: %s, keys: [{ key: %s }] }\n".formatted(name,
                    java.math.BigDecimal.valueOf(opening, 9).toPlainString(), key(name)));
        }

        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        long started = System.nanoTime();
        try (GatewayHarness gw = GatewayHarness.start(yaml.toString());
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            SplittableRandom seeds = new SplittableRandom(42);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                Random random = new Random(seeds.nextLong());
                done.add(clients.submit(() -> outcomes.computeIfAbsent(oneRequest(gw, http, random, answered),
                        k -> new AtomicInteger()).incrementAndGet()));
            }
            meanwhile.accept(gw);
            for (Future<?> f : done) {
                f.get();
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            gw.awaitLedger();
            Thread.sleep(300); // answers cut by a client settle just after the client has gone
            gw.awaitLedger();

            Jdbi jdbi = gw.gateway().database().jdbi();
            long charged = 0;
            int usageRows = 0;
            for (Map.Entry<String, Long> user : openings.entrySet()) {
                long balance = jdbi.withHandle(h -> h.createQuery("SELECT balance_nanos FROM users WHERE name = :n")
                        .bind("n", user.getKey()).mapTo(Long.class).one());
                long usageCost = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(l.cost_nanos), 0) "
                                + "FROM usage_logs l JOIN users u ON u.id = l.user_id WHERE u.name = :n")
                        .bind("n", user.getKey()).mapTo(Long.class).one());
                long ledger = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(l.amount_nanos), 0) "
                                + "FROM ledger l JOIN users u ON u.id = l.user_id WHERE u.name = :n")
                        .bind("n", user.getKey()).mapTo(Long.class).one());
                usageRows += jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_logs l "
                                + "JOIN users u ON u.id = l.user_id WHERE u.name = :n")
                        .bind("n", user.getKey()).mapTo(Integer.class).one());
                assertThat(balance).as(user.getKey() + ": balance == opening - usage cost")
                        .isEqualTo(user.getValue() - usageCost);
                assertThat(ledger).as(user.getKey() + ": balance == sum of ledger rows").isEqualTo(balance);
                assertThat(balance).as(user.getKey() + ": never below zero").isNotNegative();
                charged += usageCost;
            }
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
            // A stream answered 200 that the upstream then cut is logged with the status it ended with.
            List<String> loggedIds = jdbi.withHandle(h -> h.createQuery("SELECT request_id FROM usage_logs")
                    .mapTo(String.class).list());
            assertThat(loggedIds).as("one usage row per request").doesNotHaveDuplicates().containsAll(answered);
            System.out.printf(title + ": %d requests from %d clients in %d ms; %d upstream calls, %d failures injected %s;"
                            + " client outcomes %s; %d answered after failover; %d usage rows; %s USD charged over %d users, reconciled to the"
                            + " nano-dollar (balance == opening - usage == ledger)%n",
                    REQUESTS, CLIENTS, elapsedMs, upstreamCalls, failures, injected, new TreeMap<>(outcomes),
                    failedOver, usageRows, java.math.BigDecimal.valueOf(charged, 9).toPlainString(), USERS);
            // Open breakers skip channels, so how many calls reach the upstreams varies with the machine's speed
            // (on a loaded machine most requests find every breaker open): the mix is what must show.
            assertThat(failures).isGreaterThan(100).isGreaterThan(upstreamCalls / 4);
            assertThat(charged).isPositive();
            assertThat(outcomes.getOrDefault("200", new AtomicInteger()).get()).isGreaterThan(REQUESTS / 10);
            assertThat(failedOver).isPositive();
        } finally {
            upstreams.forEach(FaultyUpstream::close);
        }
    }

    /** One random request; returns its outcome (the status, or how the client ended it). */
    private static String oneRequest(GatewayHarness gw, HttpClient http, Random random, Set<String> answered) {
        String user = "chaos" + random.nextInt(USERS);
        int kind = random.nextInt(100);
        String path = kind < 20 ? "/v1/embeddings" : "/v1/chat/completions";
        String body = kind < 20
                ? "{\"model\":\"text-embedding-3-small\",\"input\":\"The food was delicious " + kind + "\"}"
                : kind < 55
                ? "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                : "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"stream\":true" + (kind < 75
                        ? ",\"stream_options\":{\"include_usage\":true}" : "")
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
        try {
            if (random.nextInt(100) < 5) {
                // A client that reads the head and leaves.
                RawHttp.postAndHangUpAfter(gw, path, key(user), body, "\r\n\r\n");
                return "client_left";
            }
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + key(user))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                answered.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
            }
            return Integer.toString(answer.statusCode());
        } catch (java.io.IOException | AssertionError e) {
            return "cut";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

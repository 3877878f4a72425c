package dev.antler.billing;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SmallDisk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN invariant 9 on real store faults under 20 concurrent clients: the SQLite file's filesystem filled to
 * the last byte, then freed; or its database file and write-ahead log made immutable ({@code chattr +i}), then writable again.
 * Every 200 answered has exactly one usage row, and for every user balance == opening − Σ usage == Σ ledger
 * to the nano-dollar; while the store cannot write past the bound, paid requests get 503
 * {@code store_unavailable} with {@code Retry-After}, and free routes answer.
 */
class StoreOutageTest {

    /** A way the store's files stop taking writes, and come back. */
    private interface Fault extends AutoCloseable {
        Path directory();

        void begin() throws Exception;

        void end() throws Exception;
    }

    private static Fault fault(String name) throws Exception {
        if (name.equals("disk full")) {
            SmallDisk disk = SmallDisk.mount(32);
            return new Fault() {
                public Path directory() { return disk.path(); }
                public void begin() throws Exception { disk.fill(); }
                public void end() throws Exception { disk.free(); }
                public void close() throws Exception { disk.close(); }
            };
        }
        Path directory = Files.createTempDirectory("antler-immutable-");
        return new Fault() {
            public Path directory() { return directory; }
            public void begin() throws Exception { chattr("+i", storeFiles(directory)); }
            public void end() throws Exception { chattr("-i", storeFiles(directory)); }
            public void close() throws Exception { end(); }
        };
    }

    /** The database file and its write-ahead log, as far as they exist. */
    private static List<String> storeFiles(Path directory) {
        return java.util.stream.Stream.of("antler.db", "antler.db-wal").map(directory::resolve).filter(Files::exists)
                .map(Path::toString).toList();
    }

    private static void chattr(String flag, List<String> files) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("chattr", flag));
        command.addAll(files);
        Process chattr = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(chattr.getInputStream().readAllBytes());
        Assumptions.assumeTrue(chattr.waitFor() == 0, "an immutable file is made with chattr, refused here ("
                + output.trim() + "); run the suite as root on ext4 or xfs to include this case");
    }

    private static final int CLIENTS = 20;
    private static final int USERS = 4;
    private static final long OPENING = 100_000_000_000L;
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Hello"}]}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"disk full", "immutable database files"})
    void aStoreThatCannotWriteRefusesPaidWorkPastTheBoundAndLosesNoCharge(String faultName) throws Exception {
        try (Fault fault = fault(faultName); FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gw = GatewayHarness.start(config(fault.directory(), upstream.baseUrl()))) {
            upstream.always(FakeReply.ok().usage(120, 30, 0));
            Set<String> answered = ConcurrentHashMap.newKeySet();
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                String key = key("outage" + c % USERS);
                clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> answer = http.send(chat(gw.baseUrl(), key),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200) {
                            answered.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
                        } else if (answer.statusCode() == 503) {
                            assertThat(answer.body()).contains("\"code\":\"store_unavailable\"");
                            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                        }
                        outcomes.merge(Integer.toString(answer.statusCode()), 1, Integer::sum);
                    }
                    return null;
                });
            }
            Thread.sleep(1_000);
            int beforeOutage = answered.size();
            fault.begin();
            long outageStarted = System.nanoTime();
            Thread.sleep(4_000);
            int refusedDuringOutage = outcomes.getOrDefault("503", 0);
            HttpResponse<String> quota = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                    + "/user/quota?key=" + key("outage0"))).build(), HttpResponse.BodyHandlers.ofString());
            fault.end();
            long outageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStarted);
            Thread.sleep(1_500);
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            gw.awaitLedger();

            assertThat(quota.statusCode()).as("a free route during the outage").isEqualTo(200);
            assertThat(refusedDuringOutage).as("paid requests refused during the outage: %s", outcomes).isPositive();
            assertThat(beforeOutage).isPositive();
            Jdbi jdbi = gw.gateway().database().jdbi();
            List<String> rows = jdbi.withHandle(h -> h.createQuery("SELECT request_id FROM usage_logs WHERE status_code = 200")
                    .mapTo(String.class).list());
            assertThat(rows).as("one usage row per answered request").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(answered);
            long charged = 0;
            for (int u = 0; u < USERS; u++) {
                String name = "outage" + u;
                long balance = one(jdbi, "SELECT balance_nanos FROM users WHERE name = :n", name);
                long usage = one(jdbi, "SELECT COALESCE(SUM(l.cost_nanos), 0) FROM usage_logs l JOIN users u "
                        + "ON u.id = l.user_id WHERE u.name = :n", name);
                long ledger = one(jdbi, "SELECT COALESCE(SUM(l.amount_nanos), 0) FROM ledger l JOIN users u "
                        + "ON u.id = l.user_id WHERE u.name = :n", name);
                assertThat(balance).as(name + ": balance == opening - usage").isEqualTo(OPENING - usage);
                assertThat(ledger).as(name + ": balance == sum of ledger rows").isEqualTo(balance);
                charged += usage;
            }
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                    + "/user/quota?key=" + key("outage0"))).build(), HttpResponse.BodyHandlers.ofString());
            long stored = one(jdbi, "SELECT balance_nanos FROM users WHERE name = :n", "outage0");
            assertThat(dev.antler.json.Json.MAPPER.readTree(after.body()).path("total_quota").decimalValue())
                    .as("/user/quota after the store recovered").isEqualByComparingTo(
                            java.math.BigDecimal.valueOf(stored, 9));
            assertThat(gw.gateway().ledger().deadLetters().count()).isZero();
            System.out.printf("store outage (" + faultName + " for %d ms under %d clients): outcomes %s; %d answered, %d usage "
                            + "rows, none lost or doubled; %s USD charged, reconciled to the nano-dollar%n",
                    outageMs, CLIENTS, new TreeMap<>(outcomes), answered.size(), rows.size(),
                    java.math.BigDecimal.valueOf(charged, 9).toPlainString());
        }
    }

    private static long one(Jdbi jdbi, String sql, String name) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("n", name).mapTo(Long.class).one());
    }

    private static String config(Path directory, String upstream) {
        StringBuilder yaml = new StringBuilder("""
                database: { url: "jdbc:sqlite:%s" }
                billing: { flush_interval_ms: 20, max_unwritten_age_ms: 1500, dead_letter_reserve_bytes: 0 }
                prices:
                  gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                channels:
                  - { name: main, base_url: "%s", key: sk-outage-upstream-0001 }
                users:
                """.formatted(directory.resolve("antler.db"), upstream));
        for (int u = 0; u < USERS; u++) {
            yaml.append("  - { name: outage%d, balance: 100, keys: [{ key: %s }] }\n".formatted(u, key("outage" + u)));
        }
        return yaml.toString();
    }

    private static HttpRequest chat(String baseUrl, String key) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
    }
}

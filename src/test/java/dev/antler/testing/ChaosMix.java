package dev.antler.testing;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FaultyUpstream.Fault;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * What the chaos runs share (health/ChaosTest on one gateway, cluster/RedisChaosProcessesTest across three): three
 * upstreams that fail at random, the channels and users configured on them, random requests from a pool of
 * clients, and afterwards the reconciliation of every user's money, to the nano-dollar.
 */
public final class ChaosMix {

    private ChaosMix() {}

    /** A random request of one of the users: its user, path and body. */
    public record Request(String user, String path, String body) {}

    /** What a run charged and logged, over all its users. */
    public record Reconciled(long chargedNanos, int usageRows) {
        public String chargedUsd() {
            return BigDecimal.valueOf(chargedNanos, 9).toPlainString();
        }
    }

    /** The faults the upstreams draw from: {@code own} weights (OK among them) on top of the common failures. */
    public static Map<Fault, Integer> faults(Map<Fault, Integer> own) {
        Map<Fault, Integer> weights = new EnumMap<>(Fault.class);
        weights.put(Fault.SERVER_ERROR, 8);
        weights.put(Fault.UNAVAILABLE, 6);
        weights.put(Fault.RATE_LIMIT_RETRY_AFTER, 6);
        weights.put(Fault.RESET_MID_STREAM, 5);
        weights.put(Fault.TRUNCATED_SSE, 5);
        weights.put(Fault.WRONG_CONTENT_TYPE, 4);
        weights.putAll(own);
        return weights;
    }

    /** Three upstreams answering at random by {@code weights}, the i-th drawing from {@code seed + i}. */
    public static List<FaultyUpstream> upstreams(long seed, Map<Fault, Integer> weights) {
        List<FaultyUpstream> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            upstreams.add(FaultyUpstream.start().randomly(seed + i, weights));
        }
        return upstreams;
    }

    /** The YAML of one channel per upstream, {@code name-<i>}, the last one tried after the others. */
    public static String channels(String name, List<FaultyUpstream> upstreams) {
        StringBuilder yaml = new StringBuilder("channels:\n");
        for (int i = 0; i < upstreams.size(); i++) {
            String upstreamKey = "sk-%s-%d-0001".formatted(name, i);
            SuiteSecrets.record(upstreamKey);
            yaml.append("  - { name: %s-%d, base_url: \"%s\", key: %s, priority: %d, ".formatted(name, i,
                            upstreams.get(i).baseUrl(), upstreamKey, i == 2 ? 0 : 10))
                    .append("idle_timeout_ms: 300, total_timeout_ms: 5000 }\n");
        }
        return yaml.toString();
    }

    /**
     * The YAML of {@code count} users {@code name<i>}, each with a key ({@code keySettings} adds to the i-th, or
     * gives ""): the first two open with {@code small}, the others with {@code opening}, as put in {@code openings}.
     */
    public static String users(String name, int count, long opening, long small, IntFunction<String> keySettings,
                               Map<String, Long> openings) {
        StringBuilder yaml = new StringBuilder("users:\n");
        for (int u = 0; u < count; u++) {
            String user = name + u;
            long balance = u < 2 ? small : opening;
            openings.put(user, balance);
            yaml.append("  - { name: %s, balance: %s, keys: [{ key: %s%s }] }\n".formatted(user,
                    BigDecimal.valueOf(balance, 9).toPlainString(), key(user), keySettings.apply(u)));
        }
        return yaml.toString();
    }

    /**
     * A random request of user {@code name<0..count-1>}: embeddings (one in five), a chat, or a chat stream (from
     * the 55th percent on) asking for its usage, except from the 75th percent on when {@code streamsWithoutUsage}.
     */
    public static Request request(Random random, String name, int count, boolean streamsWithoutUsage) {
        String user = name + random.nextInt(count);
        int kind = random.nextInt(100);
        String path = kind < 20 ? "/v1/embeddings" : "/v1/chat/completions";
        String body = kind < 20
                ? "{\"model\":\"text-embedding-3-small\",\"input\":\"The food was delicious " + kind + "\"}"
                : kind < 55
                ? "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                : "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"stream\":true"
                        + (kind < 75 || !streamsWithoutUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
        return new Request(user, path, body);
    }

    /**
     * Sends {@code count} requests from {@code clients} threads, each {@code oneRequest} with its number and a random
     * of its own (from {@code seed}), which returns its outcome; {@code meanwhile} runs while they are sent. Returns
     * how many ended with each outcome.
     */
    public static Map<String, AtomicInteger> run(int count, int clients, long seed,
                                                 BiFunction<Integer, Random, String> oneRequest, Runnable meanwhile)
            throws Exception {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            SplittableRandom seeds = new SplittableRandom(seed);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Random random = new Random(seeds.nextLong());
                int number = i;
                done.add(pool.submit(() -> outcomes.computeIfAbsent(oneRequest.apply(number, random),
                        k -> new AtomicInteger()).incrementAndGet()));
            }
            meanwhile.run();
            for (Future<?> f : done) {
                f.get();
            }
        }
        return outcomes;
    }

    /** The outcome of an answer, its status; the request id of a 200 goes to {@code answered}. */
    public static String outcome(HttpResponse<String> answer, Set<String> answered) {
        if (answer.statusCode() == 200) {
            answered.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
        }
        return Integer.toString(answer.statusCode());
    }

    /**
     * For every user of {@code openings}, to the nano-dollar: balance == opening − Σ usage cost == Σ ledger rows,
     * and no lower than {@code floorNanos} ({@code floor} says what that is); one usage row per request, every
     * request {@code answered} 200 among them.
     */
    public static Reconciled reconcile(Jdbi jdbi, Map<String, Long> openings, long floorNanos, String floor,
                                       Set<String> answered) {
        long charged = 0;
        int usageRows = 0;
        for (Map.Entry<String, Long> user : openings.entrySet()) {
            long[] row = jdbi.withHandle(h -> h.createQuery("""
                            SELECT u.balance_nanos,
                              (SELECT COALESCE(SUM(l.cost_nanos), 0) FROM usage_logs l WHERE l.user_id = u.id),
                              (SELECT COALESCE(SUM(g.amount_nanos), 0) FROM ledger g WHERE g.user_id = u.id),
                              (SELECT COUNT(*) FROM usage_logs l WHERE l.user_id = u.id)
                            FROM users u WHERE u.name = :n""").bind("n", user.getKey())
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).one());
            assertThat(row[0]).as(user.getKey() + ": balance == opening - usage cost")
                    .isEqualTo(user.getValue() - row[1]);
            assertThat(row[2]).as(user.getKey() + ": balance == sum of ledger rows").isEqualTo(row[0]);
            assertThat(row[0]).as(user.getKey() + ": never below " + floor).isGreaterThanOrEqualTo(floorNanos);
            charged += row[1];
            usageRows += (int) row[3];
        }
        List<String> logged = jdbi.withHandle(h -> h.createQuery("SELECT request_id FROM usage_logs")
                .mapTo(String.class).list());
        assertThat(logged).as("one usage row per request").doesNotHaveDuplicates().containsAll(answered);
        return new Reconciled(charged, usageRows);
    }
}

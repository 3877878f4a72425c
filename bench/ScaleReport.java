import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The store-growth and concurrency parts of the benchmark report (bench/run --scenarios store,streams), with
 * the targets of issue 20; Report.java calls it with the recorded lines and adds its text to the table.
 */
final class ScaleReport {

    static final double STORE_RATIO_MAX = 1.10;
    static final double STARTUP_SLACK_MS = 50;
    static final double LOG_QUERY_P95_MAX_MS = 100;
    static final double STREAM_RSS_MAX_MB = 1024;
    static final double ADDED_DELAY_P99_MAX_MS = 5;
    /** Above this direct p99 the client and upstream delay events themselves, and the added delay is not measurable. */
    static final double DIRECT_P99_MEASURABLE_MAX_MS = 20;
    static final double CPU_PER_EVENT_RATIO_MAX = 1.5;

    private final List<JsonNode> lines;
    private final ObjectNode report;
    private final StringBuilder text;
    private final JsonMapper mapper;
    private final ArrayNode checks;

    ScaleReport(List<JsonNode> lines, ObjectNode report, StringBuilder text, JsonMapper mapper) {
        this.lines = lines;
        this.report = report;
        this.text = text;
        this.mapper = mapper;
        this.checks = mapper.createArrayNode();
    }

    void build() {
        for (String db : new String[] {"sqlite", "postgresql"}) {
            if (lines.stream().anyMatch(l -> kind(l, "store_wrk") && l.path("db").asString().equals(db))) {
                store(db);
            }
        }
        if (lines.stream().anyMatch(l -> kind(l, "streams"))) {
            streams();
        }
        if (!checks.isEmpty()) {
            report.set("targets_issue_20", checks);
        }
    }

    private void store(String db) {
        ObjectNode out = report.putObject("store_" + db);
        JsonNode seed = lines.stream().filter(l -> kind(l, "store_seed") && l.path("db").asString().equals(db))
                .findFirst().orElse(mapper.createObjectNode());
        out.set("seed", seed);
        line("");
        line("Store growth, %s: seeded %,d users, %,d keys, %,d usage rows (+ ledger rows) in %.0f s; an Antler on an"
                        + " empty and one on the seeded store, interleaved", db, seed.path("users").asLong(),
                seed.path("keys").asLong(), seed.path("rows").asLong(), seed.path("ms").asDouble() / 1000);
        List<Double> startEmpty = values("store_startup", db, "empty", l -> l.path("ms").asDouble());
        List<Double> startSeeded = values("store_startup", db, "seeded", l -> l.path("ms").asDouble());
        out.set("startup_ms_empty", mapper.valueToTree(startEmpty));
        out.set("startup_ms_seeded", mapper.valueToTree(startSeeded));
        line("  first relayed response after launch (ms): empty %s, seeded %s -> median %.0f vs %.0f", startEmpty,
                startSeeded, median(startEmpty), median(startSeeded));
        double p50Ratio = medianRatio(db, 1, r -> latency(r, "p50"));
        double cpuRatio = medianRatio(db, 64, ScaleReport::cpuPerRequest);
        for (String store : new String[] {"empty", "seeded"}) {
            ObjectNode s = out.putObject(store);
            s.put("c1_p50_us", median(wrk(db, store, 1).stream().map(r -> latency(r, "p50")).toList()));
            s.put("c64_rps", median(wrk(db, store, 64).stream().map(ScaleReport::rps).toList()));
            s.put("c64_cpu_us_per_req", median(wrk(db, store, 64).stream().map(ScaleReport::cpuPerRequest).toList()));
            line("  relay chat JSON, %-6s store: 1 conn p50 %.0f us; 64 conns %.0f req/s, CPU %.1f us/req", store,
                    s.path("c1_p50_us").asDouble(), s.path("c64_rps").asDouble(), s.path("c64_cpu_us_per_req").asDouble());
        }
        out.put("p50_seeded_over_empty", p50Ratio);
        out.put("cpu_seeded_over_empty", cpuRatio);
        line("  %-24s | %8s %8s %8s | %8s | %s", "admin query (ms)", "p50", "p95", "max", "empty p95", "path (seeded)");
        ObjectNode queries = out.putObject("queries");
        List<String> slow = new ArrayList<>();
        for (JsonNode q : lines) {
            if (!kind(q, "store_query") || !q.path("db").asString().equals(db) || !q.path("store").asString().equals("seeded")) {
                continue;
            }
            String name = q.path("query").asString();
            List<Double> ms = seconds(q);
            List<Double> emptyMs = lines.stream().filter(l -> kind(l, "store_query") && l.path("db").asString().equals(db)
                    && l.path("store").asString().equals("empty") && l.path("query").asString().equals(name))
                    .findFirst().map(ScaleReport::seconds).orElse(List.of());
            long errors = q.path("http").valueStream().filter(c -> c.asInt() != 200).count();
            ObjectNode n = queries.putObject(name);
            n.put("path", q.path("path").asString());
            n.put("p50_ms", percentile(ms, 0.5));
            n.put("p95_ms", percentile(ms, 0.95));
            n.put("max_ms", percentile(ms, 1));
            n.put("empty_p95_ms", percentile(emptyMs, 0.95));
            n.put("non_200", errors);
            if (percentile(ms, 0.95) > LOG_QUERY_P95_MAX_MS || errors > 0) {
                slow.add(String.format(Locale.ROOT, "%s %.0f ms%s", name, percentile(ms, 0.95),
                        errors > 0 ? " (" + errors + " not 200)" : ""));
            }
            line("  %-24s | %8.1f %8.1f %8.1f | %8.1f | %s%s", name, percentile(ms, 0.5), percentile(ms, 0.95),
                    percentile(ms, 1), percentile(emptyMs, 0.95), q.path("path").asString(),
                    errors > 0 ? "  (" + errors + " not 200 !)" : "");
        }
        line("  Targets (issue 20), %s:", db);
        check(db + "_relay_p50", "relay p50 seeded within 10% of empty (1 conn)", p50Ratio <= STORE_RATIO_MAX,
                String.format(Locale.ROOT, "seeded/empty %.2f (median of per-round ratios)", p50Ratio));
        check(db + "_relay_cpu", "relay CPU/request seeded within 10% of empty", cpuRatio <= STORE_RATIO_MAX,
                String.format(Locale.ROOT, "seeded/empty %.2f (64 conns)", cpuRatio));
        check(db + "_startup", "start-up independent of rows (within 10% or 50 ms)",
                median(startSeeded) <= Math.max(median(startEmpty) * STORE_RATIO_MAX, median(startEmpty) + STARTUP_SLACK_MS),
                String.format(Locale.ROOT, "%.0f ms seeded vs %.0f ms empty", median(startSeeded), median(startEmpty)));
        check(db + "_log_queries", "admin log queries p95 <= 100 ms", slow.isEmpty(),
                slow.isEmpty() ? "all " + queries.size() + " queries" : "over: " + String.join(", ", slow));
    }

    private void streams() {
        ObjectNode out = report.putObject("streams");
        line("");
        JsonNode any = lines.stream().filter(l -> kind(l, "streams")).findFirst().orElseThrow();
        line("Concurrency: %d simultaneous streams, %d s each, an event every %d ms (file-descriptor limit %d)",
                any.path("result").path("streams").asInt(), any.path("stream_seconds").asInt(),
                any.path("event_ms").asInt(), any.path("nofile").asInt());
        line("  %-7s | %9s %9s | %8s %8s %8s %9s | %8s | %9s | %s", "target", "complete", "events", "p50 ms", "p99 ms",
                "p999 ms", "+p99 ms", "peak MB", "CPU us/ev", "failed");
        double directP99 = Double.NaN;
        double nginxCpu = Double.NaN;
        for (String target : new String[] {"direct", "nginx", "netty", "hybrid", "antler"}) {
            JsonNode run = lines.stream().filter(l -> kind(l, "streams") && l.path("target").asString().equals(target))
                    .reduce((a, b) -> b).orElse(null);
            if (run == null) {
                continue;
            }
            JsonNode r = run.path("result");
            double p99 = r.path("delay_us").path("p99").asDouble() / 1000;
            double cpu = run.path("cpu_ticks").asDouble() * 1e6 / run.path("clk_tck").asDouble()
                    / Math.max(1, r.path("events").asDouble());
            double peakMb = Math.max(run.path("peak_rss_kb").asDouble(), run.path("hwm_kb").asDouble()) / 1024;
            if (target.equals("direct")) {
                directP99 = p99;
            }
            if (target.equals("nginx")) {
                nginxCpu = cpu;
            }
            ObjectNode t = out.putObject(target);
            t.set("result", r);
            t.put("added_p99_ms", p99 - directP99);
            t.put("peak_rss_mb", peakMb);
            t.put("cpu_us_per_event", cpu);
            line("  %-7s | %4d/%-4d %9d | %8.2f %8.2f %8.2f %9s | %8.0f | %9.1f | %s", target, r.path("complete").asInt(),
                    r.path("streams").asInt(), r.path("events").asLong(), r.path("delay_us").path("p50").asDouble() / 1000,
                    p99, r.path("delay_us").path("p999").asDouble() / 1000,
                    target.equals("direct") ? "-" : String.format(Locale.ROOT, "%+.2f", p99 - directP99), peakMb, cpu,
                    r.path("failed").toString());
            if (target.equals("antler")) {
                line("  (delay: upstream write -> client read of each event, same clock; +p99: over direct; CPU: the"
                        + " serving process(es), direct = the upstream; netty, hybrid: the bare Netty"
                        + " relay and the Vert.x server + Netty client relay, references)");
                line("  Targets (issue 20), concurrency:");
                check("streams_complete", "all streams complete through Antler",
                        r.path("complete").asInt() == r.path("streams").asInt(),
                        r.path("complete").asInt() + " of " + r.path("streams").asInt());
                check("streams_rss", "Antler RSS <= 1 GiB", peakMb <= STREAM_RSS_MAX_MB,
                        String.format(Locale.ROOT, "%.0f MB", peakMb));
                String delays = String.format(Locale.ROOT, "%+.2f ms (Antler p99 %.2f, direct %.2f)", p99 - directP99,
                        p99, directP99);
                if (directP99 > DIRECT_P99_MEASURABLE_MAX_MS) {
                    // The client and upstream alone delay events by far more than the target (their own queueing,
                    // GC or JIT): runs made one after another differ by that more than by the gateway, either way.
                    notMeasurable("streams_added_delay", "added delay per event p99 <= 5 ms", delays
                            + String.format(Locale.ROOT, ": not measurable, the client and upstream alone (direct)"
                            + " delay events by over %.0f ms at p99", DIRECT_P99_MEASURABLE_MAX_MS));
                } else {
                    check("streams_added_delay", "added delay per event p99 <= 5 ms",
                            p99 - directP99 <= ADDED_DELAY_P99_MAX_MS, delays);
                }
                check("streams_cpu", "CPU per event <= 1.5x nginx's", cpu / nginxCpu <= CPU_PER_EVENT_RATIO_MAX,
                        String.format(Locale.ROOT, "%.2fx (%.1f vs %.1f us)", cpu / nginxCpu, cpu, nginxCpu));
            }
        }
    }

    /** A target this run cannot judge (the JSON has {@code "pass": null}), and why. */
    private void notMeasurable(String id, String label, String figures) {
        ObjectNode c = checks.addObject();
        c.put("id", id);
        c.put("target", label);
        c.putNull("pass");
        c.put("figures", figures);
        line("    [n/m ] %-52s %s", label, figures);
    }

    private void check(String id, String label, boolean pass, String figures) {
        ObjectNode c = checks.addObject();
        c.put("id", id);
        c.put("target", label);
        c.put("pass", pass);
        c.put("figures", figures);
        line("    [%s] %-52s %s", pass ? "PASS" : "MISS", label, figures);
    }

    /** Per round, seeded's figure over empty's; the median of those ratios. */
    private double medianRatio(String db, int conns, java.util.function.ToDoubleFunction<JsonNode> f) {
        List<JsonNode> empty = wrk(db, "empty", conns);
        List<JsonNode> seeded = wrk(db, "seeded", conns);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(empty.size(), seeded.size()); i++) {
            ratios.add(f.applyAsDouble(seeded.get(i)) / f.applyAsDouble(empty.get(i)));
        }
        return median(ratios);
    }

    private List<JsonNode> wrk(String db, String store, int conns) {
        return lines.stream().filter(l -> kind(l, "store_wrk") && l.path("db").asString().equals(db)
                && l.path("store").asString().equals(store) && l.path("conns").asInt() == conns)
                .sorted((a, b) -> Integer.compare(a.path("round").asInt(), b.path("round").asInt())).toList();
    }

    private List<Double> values(String kind, String db, String store, java.util.function.ToDoubleFunction<JsonNode> f) {
        return lines.stream().filter(l -> kind(l, kind) && l.path("db").asString().equals(db)
                && l.path("store").asString().equals(store)).map(f::applyAsDouble).toList();
    }

    private static List<Double> seconds(JsonNode query) {
        return query.path("seconds").valueStream().map(v -> v.asDouble() * 1000).toList();
    }

    private static boolean kind(JsonNode line, String kind) {
        return line.path("kind").asString().equals(kind);
    }

    static double rps(JsonNode run) {
        return run.path("wrk").path("requests").asDouble() / (run.path("wrk").path("duration_us").asDouble() / 1e6);
    }

    static double cpuPerRequest(JsonNode run) {
        return run.path("cpu_ticks").asDouble() * 1e6 / run.path("clk_tck").asDouble()
                / run.path("wrk").path("requests").asDouble();
    }

    static double latency(JsonNode run, String percentile) {
        return run.path("wrk").path("latency_us").path(percentile).asDouble();
    }

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    /** Nearest-rank percentile (p = 1: the maximum); NaN when empty. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        if (p == 0.5 && sorted.size() % 2 == 0) {
            return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private void line(String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

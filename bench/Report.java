import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the raw lines bench/run recorded (one JSON object per measurement) into the printed table and
 * the JSON report. Run by bench/run as {@code java -cp <jackson jars> bench/Report.java RESULTS OUT}.
 *
 * <p>Aggregation over the interleaved rounds: throughput and CPU per request are totals (requests and
 * CPU time summed over rounds, divided by time summed over rounds); latency percentiles are the median
 * of the rounds' percentiles (wrk does not expose its histogram to merge them exactly).
 */
public final class Report {

    static final String[] SCENARIOS = {"chat", "sse", "embeddings"};
    static final String[] TARGETS = {"direct", "nginx", "netty", "hybrid", "vertx", "antler"};
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    // Targets of issue 7.
    static final double CPU_RATIO_MAX = 2.0;
    static final double THROUGHPUT_RATIO_MIN = 0.5;
    static final double ADDED_P50_MAX_US = 150;
    static final double RSS_MAX_MB = 300;
    static final double HEAP_GROWTH_MAX_MB = 2;
    static final double FIRST_RESPONSE_MAX_MS = 1000;
    // Targets of issue 20 that the load scenario checks (the store and streams scenarios check the rest).
    static final double CPU_RATIO_MAX_20 = 1.5;
    static final double THROUGHPUT_RATIO_MIN_20 = 0.75;
    static final double ADDED_P50_CHAT_MAX_US_20 = 25;
    static final double FIRST_RESPONSE_MAX_MS_20 = 400;

    public static void main(String[] args) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                lines.add(MAPPER.readTree(line));
            }
        }
        ObjectNode report = new Report(lines).build();
        Path out = Path.of(args[1]);
        Files.writeString(out, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println("\nwritten: " + out);
    }

    private final List<JsonNode> lines;
    private final StringBuilder text = new StringBuilder();
    private final ObjectNode report = MAPPER.createObjectNode();

    Report(List<JsonNode> lines) {
        this.lines = lines;
    }

    ObjectNode build() {
        JsonNode meta = first("meta");
        report.set("meta", meta);
        line("Antler benchmark  %s", meta.path("date").asString());
        line("command: %s", meta.path("command").asString());
        line("machine: %s, %d CPUs (%s); %s; nginx %s; wrk %s", meta.path("host").asString(),
                meta.path("cpus").asInt(), meta.path("cpu_model").asString(), meta.path("java").asString(),
                meta.path("nginx").asString(), meta.path("wrk").asString());
        line("layout: %s", meta.path("pinning").asString());
        line("runs: %d interleaved round(s), %d s per wrk run; Antler JVM: %s%s; %s", meta.path("rounds").asInt(),
                meta.path("seconds_per_run").asInt(), meta.path("antler_jvm").asString(),
                meta.path("aot").asBoolean() ? " + AOT cache" : "",
                meta.path("antler_transport").asString("transport not recorded"));
        line("");

        if (!all("wrk").isEmpty()) {
            loadScenario();
        }
        new ScaleReport(lines, report, text, MAPPER).build();
        report.put("table", text.toString());
        report.set("raw", MAPPER.valueToTree(lines));
        System.out.print(text);
        return report;
    }

    /** The load scenario (the relay under wrk, uploads, heap, RSS, restarts) and the targets of issue 7. */
    private void loadScenario() {
        ObjectNode load = report.putObject("load");
        line("%-10s %-6s | %-34s | %-31s | %-13s | %s", "", "",
                "1 connection: latency us", "64 connections", "CPU us/req", "");
        line("%-10s %-6s | %6s %6s %6s %6s %6s | %8s %6s %6s %7s | %6s %6s | %s", "scenario", "target",
                "p50", "p90", "p99", "+p50", "req/s", "req/s", "p50ms", "p99ms", "vs ngx", "c=1", "c=64", "errors");
        for (String scenario : SCENARIOS) {
            ObjectNode perScenario = load.putObject(scenario);
            for (String target : TARGETS) {
                perScenario.set(target, cell(scenario, target));
            }
            for (String target : TARGETS) {
                ObjectNode c = (ObjectNode) perScenario.get(target);
                double addedP50 = c.path("c1").path("p50_us").asDouble()
                        - perScenario.path("direct").path("c1").path("p50_us").asDouble();
                c.put("added_p50_us", addedP50);
                double vsNginx = c.path("c64").path("rps").asDouble()
                        / perScenario.path("nginx").path("c64").path("rps").asDouble();
                line("%-10s %-6s | %6.0f %6.0f %6.0f %6s %6.0f | %8.0f %6.2f %6.2f %6.0f%% | %6.1f %6.1f | %s",
                        target.equals("direct") ? scenario : "", target,
                        c.path("c1").path("p50_us").asDouble(), c.path("c1").path("p90_us").asDouble(),
                        c.path("c1").path("p99_us").asDouble(),
                        target.equals("direct") ? "-" : String.format(Locale.ROOT, "%+.0f", addedP50),
                        c.path("c1").path("rps").asDouble(), c.path("c64").path("rps").asDouble(),
                        c.path("c64").path("p50_us").asDouble() / 1000, c.path("c64").path("p99_us").asDouble() / 1000,
                        vsNginx * 100, c.path("c1").path("cpu_us_per_req").asDouble(),
                        c.path("c64").path("cpu_us_per_req").asDouble(), c.path("errors").asString());
            }
        }
        line("(Each figure: the median over rounds. +p50: added over direct at 1 connection. CPU us/req: CPU time of"
                + " the serving process(es) / requests; direct = the fake upstream itself.)");
        List<Double> steal = all("wrk").stream().map(r -> r.path("steal_pct").asDouble()).toList();
        List<Double> coreSteal = all("wrk").stream().map(r -> r.path("gateway_core_steal_pct").asDouble()).toList();
        line("Hypervisor steal during the wrk runs (/proc/stat): all CPUs median %.0f%%, max %.0f%%; "
                        + "gateway's core median %.0f%%, max %.0f%%",
                median(steal), steal.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                median(coreSteal), coreSteal.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        overheadTable(load);
        threadTable(load);
        line("");

        uploads();
        JsonNode heap = first("heap");
        report.set("heap", heap);
        double growthMb = Math.max(heap.path("mid_kb").asDouble(), heap.path("after_kb").asDouble()) / 1024
                - heap.path("before_kb").asDouble() / 1024;
        line("Antler live heap around a 10 MB upload (jcmd GC.class_histogram: objects alive after a full GC): "
                        + "before %.1f MB, mid-upload %.1f MB, after %.1f MB -> growth %.2f MB "
                        + "(upload: HTTP %d in %.1f s; RSS %.0f -> %.0f -> %.0f MB)",
                heap.path("before_kb").asDouble() / 1024, heap.path("mid_kb").asDouble() / 1024,
                heap.path("after_kb").asDouble() / 1024, growthMb, heap.path("upload_http").asInt(),
                heap.path("upload_seconds").asDouble(), heap.path("rss_before_kb").asDouble() / 1024,
                heap.path("rss_mid_kb").asDouble() / 1024, heap.path("rss_after_kb").asDouble() / 1024);

        Map<String, Double> rssMb = new LinkedHashMap<>();
        for (JsonNode rss : all("rss")) {
            rssMb.put(rss.path("target").asString(), rss.path("hwm_kb").asDouble() / 1024);
        }
        report.set("peak_rss_mb", MAPPER.valueToTree(rssMb));
        line("Peak RSS (VmHWM) over the whole run: Antler %.0f MB; nginx %.0f MB (master + workers); "
                + "fake upstream %.0f MB", rssMb.getOrDefault("antler", 0.0), rssMb.getOrDefault("nginx", 0.0),
                rssMb.getOrDefault("direct", 0.0));

        ObjectNode startup = report.putObject("first_response_ms");
        List<Double> aotRestarts = startups("antler", "aot", false);
        List<Double> plainRestarts = startups("antler", "plain", false);
        List<Double> fresh = new ArrayList<>();
        String freshMode = "";
        for (JsonNode s : all("startup")) {
            if (s.path("target").asString().equals("antler") && s.path("fresh_db").asBoolean()) {
                fresh.add(s.path("ms").asDouble());
                freshMode = s.path("mode").asString();
            }
        }
        startup.set("antler_restart_aot", MAPPER.valueToTree(aotRestarts));
        startup.set("antler_restart_plain", MAPPER.valueToTree(plainRestarts));
        startup.set("antler_fresh_store", MAPPER.valueToTree(fresh));
        startup.set("nginx", MAPPER.valueToTree(startups("nginx", "plain", false)));
        line("First relayed response after launch (ms): Antler restart %s%s; first start on an empty store "
                        + "(migrations, seeding; %s) %s; nginx %s",
                aotRestarts.isEmpty() ? "" : "with AOT cache " + aotRestarts + ", ",
                "without " + plainRestarts, freshMode, fresh, startups("nginx", "plain", false));

        JsonNode usage = first("usage").path("summary");
        report.set("usage", usage);
        line("Antler usage rows written to SQLite: %d requests, %s USD charged (every relayed request, "
                + "warm-up and cut-off ones included)", usage.path("total").path("requests").asLong(),
                usage.path("total").path("cost").asString());
        line("");

        boolean heapMeasured = heap.path("before_kb").asDouble() > 0 && heap.path("upload_http").asInt() == 200;
        targets(heapMeasured, growthMb, rssMb.getOrDefault("antler", 0.0),
                aotRestarts.isEmpty() ? median(plainRestarts) : median(aotRestarts),
                aotRestarts.isEmpty() ? "restart, no AOT cache" : "restart with AOT cache");
    }

    private List<JsonNode> runs(String scenario, String target, int conns) {
        List<JsonNode> runs = new ArrayList<>();
        for (JsonNode line : all("wrk")) {
            if (line.path("scenario").asString().equals(scenario) && line.path("target").asString().equals(target)
                    && line.path("conns").asInt() == conns) {
                runs.add(line);
            }
        }
        runs.sort((a, b) -> Integer.compare(a.path("round").asInt(), b.path("round").asInt()));
        return runs;
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

    /** One scenario and target: the median over rounds of each figure, and every round's figure. */
    private ObjectNode cell(String scenario, String target) {
        ObjectNode cell = MAPPER.createObjectNode();
        long errors = 0;
        for (int conns : new int[] {1, 64}) {
            List<JsonNode> runs = runs(scenario, target, conns);
            for (JsonNode run : runs) {
                for (JsonNode e : run.path("wrk").path("errors").values()) {
                    errors += e.asLong();
                }
            }
            ObjectNode c = cell.putObject("c" + conns);
            c.put("runs", runs.size());
            c.put("requests", (long) sum(runs, r -> r.path("wrk").path("requests").asDouble()));
            put(c, "rps", runs, Report::rps);
            put(c, "cpu_us_per_req", runs, Report::cpuPerRequest);
            put(c, "upstream_cpu_us_per_req", runs, r -> r.path("upstream_cpu_ticks").asDouble() * 1e6
                    / r.path("clk_tck").asDouble() / r.path("wrk").path("requests").asDouble());
            put(c, "steal_pct", runs, r -> r.path("steal_pct").asDouble());
            put(c, "gateway_core_steal_pct", runs, r -> r.path("gateway_core_steal_pct").asDouble());
            // CPU time of the serving process / wall time: about 1.0 when it was CPU-bound on its one core
            put(c, "busy_cores", runs, r -> r.path("cpu_ticks").asDouble() / r.path("clk_tck").asDouble()
                    / (r.path("wrk").path("duration_us").asDouble() / 1e6));
            for (String p : new String[] {"p50", "p90", "p99", "max"}) {
                put(c, p + "_us", runs, r -> latency(r, p));
            }
        }
        cell.put("errors", errors == 0 ? "0" : errors + " (!)");
        return cell;
    }

    /** Puts the median of {@code f} over {@code runs} as {@code name}, and every value as {@code name_per_round}. */
    private static void put(ObjectNode node, String name, List<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
        List<Double> values = runs.stream().map(f::applyAsDouble).toList();
        node.put(name, median(values));
        node.set(name + "_per_round", MAPPER.valueToTree(values));
    }

    /**
     * The bare relays against nginx: the Vert.x one (Vert.x's HTTP server and client, nothing else on) says how much
     * the Vert.x stack alone costs; the Netty one (the same relay on Netty's pipeline and codec) how much of that is
     * Vert.x's layers over the transport; the hybrid one (Antler's split: Vert.x's server, a Netty client) what
     * Antler's own stack costs before any of its work. References, not targets.
     */
    private void floor(ObjectNode rounds) {
        floor(rounds, "vertx", "bare Vert.x relay (HTTP stack alone)");
        floor(rounds, "netty", "bare Netty relay (transport and codec)");
        floor(rounds, "hybrid", "Vert.x server + Netty client relay (Antler's split)");
    }

    private void floor(ObjectNode rounds, String relay, String label) {
        if (runs(SCENARIOS[0], relay, 64).isEmpty()) {
            return;
        }
        StringBuilder figures = new StringBuilder();
        for (String scenario : SCENARIOS) {
            ObjectNode r = (ObjectNode) rounds.path(scenario);
            ObjectNode ratio = (ObjectNode) r.putObject("cpu_per_req_" + relay + "_relay_over_nginx_c64").setAll(
                    perRound(scenario, relay, "nginx", 64, (v, n) -> cpuPerRequest(v) / cpuPerRequest(n)));
            ObjectNode share = (ObjectNode) r.putObject("rps_" + relay + "_relay_over_nginx_c64").setAll(
                    perRound(scenario, relay, "nginx", 64, (v, n) -> rps(v) / rps(n)));
            figures.append(String.format(Locale.ROOT, "  %s %.1fx, %.0f%%", scenario, ratio.path("median").asDouble(),
                    share.path("median").asDouble() * 100));
        }
        line("  [ref ] %s: CPU/req vs nginx, throughput vs nginx%s", label, figures);
    }

    /** Per round, {@code f(antler run, other run)} for the same round; their median and range. */
    private ObjectNode perRound(String scenario, String other, int conns, ToDoubleBiFunction f) {
        return perRound(scenario, "antler", other, conns, f);
    }

    /** Per round, {@code f(subject's run, other's run)} for the same round; their median and range. */
    private ObjectNode perRound(String scenario, String subject, String other, int conns, ToDoubleBiFunction f) {
        List<JsonNode> antler = runs(scenario, subject, conns);
        List<JsonNode> others = runs(scenario, other, conns);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < Math.min(antler.size(), others.size()); i++) {
            values.add(f.apply(antler.get(i), others.get(i)));
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("median", median(values));
        node.put("min", values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        node.put("max", values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        node.set("per_round", MAPPER.valueToTree(values));
        return node;
    }

    interface ToDoubleBiFunction {
        double apply(JsonNode antler, JsonNode other);
    }

    /**
     * Antler's own time per request, measured inside the process (GET /api/admin/metrics/overhead),
     * per scenario: median over rounds of each run's percentiles.
     */
    private void overheadTable(ObjectNode load) {
        boolean any = all("wrk").stream().anyMatch(r -> r.path("overhead").isObject());
        if (!any) {
            line("(no in-process overhead figures: this Antler has no /api/admin/metrics/overhead)");
            return;
        }
        line("");
        line("Antler in-process overhead, us (request head in -> upstream head out"
                + " | upstream head in -> client head out):");
        line("%-10s | %-26s | %-26s", "", "1 connection: p50 / p90 / p99", "64 connections: p50 / p90 / p99");
        for (String scenario : SCENARIOS) {
            ObjectNode o = ((ObjectNode) load.path(scenario).path("antler")).putObject("in_process_overhead_us");
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-10s", scenario));
            for (int conns : new int[] {1, 64}) {
                List<JsonNode> runs = runs(scenario, "antler", conns);
                ObjectNode c = o.putObject("c" + conns);
                StringBuilder cell = new StringBuilder();
                for (String phase : new String[] {"request_to_upstream", "upstream_to_client"}) {
                    ObjectNode ph = c.putObject(phase);
                    for (String p : new String[] {"p50", "p90", "p99"}) {
                        put(ph, p, runs, r -> r.path("overhead").path(phase).path(p + "_us").asDouble());
                    }
                    cell.append(String.format(Locale.ROOT, "%s%.0f/%.0f/%.0f", cell.isEmpty() ? "" : " | ",
                            ph.path("p50").asDouble(), ph.path("p90").asDouble(), ph.path("p99").asDouble()));
                }
                row.append(String.format(Locale.ROOT, " | %-26s", cell));
            }
            line("%s", row);
        }
    }

    private static final String[] THREAD_GROUPS = {"event_loop", "event_loop_sys", "ledger_writer", "jit_compiler",
            "gc_and_vm", "other"};

    /**
     * Where Antler's CPU per request goes at 64 connections, by thread group (from /proc/PID/task): the
     * event loop is the relay itself; the JIT compiler and GC are the JVM's own share of the same figure.
     */
    private void threadTable(ObjectNode load) {
        if (all("wrk").stream().noneMatch(r -> r.path("threads_after").isObject())) {
            return;
        }
        line("");
        line("Antler CPU us/request by thread at 64 connections (median over rounds):");
        line("%-10s | %10s | %13s | %13s | %12s | %9s | %6s", "", "event loop", "of it: kernel", "ledger writer",
                "JIT compiler", "GC + VM", "other");
        for (String scenario : SCENARIOS) {
            List<JsonNode> runs = runs(scenario, "antler", 64);
            ObjectNode o = ((ObjectNode) load.path(scenario).path("antler")).putObject("cpu_us_per_req_by_thread_c64");
            for (String group : THREAD_GROUPS) {
                put(o, group, runs, r -> (r.path("threads_after").path(group).asDouble()
                        - r.path("threads_before").path(group).asDouble()) * 1e6 / r.path("clk_tck").asDouble()
                        / r.path("wrk").path("requests").asDouble());
            }
            line("%-10s | %10.1f | %13.1f | %13.1f | %12.1f | %9.1f | %6.1f", scenario,
                    o.path("event_loop").asDouble(), o.path("event_loop_sys").asDouble(), o.path("ledger_writer").asDouble(), o.path("jit_compiler").asDouble(),
                    o.path("gc_and_vm").asDouble(), o.path("other").asDouble());
        }
    }

    private void uploads() {
        ObjectNode uploads = report.putObject("upload_10mb");
        StringBuilder summary = new StringBuilder();
        for (String target : TARGETS) {
            List<Double> seconds = new ArrayList<>();
            List<Integer> codes = new ArrayList<>();
            for (JsonNode u : all("upload")) {
                if (u.path("target").asString().equals(target)) {
                    seconds.add(u.path("seconds").asDouble());
                    codes.add(u.path("http").asInt());
                }
            }
            ObjectNode t = uploads.putObject(target);
            t.set("seconds", MAPPER.valueToTree(seconds));
            t.set("http", MAPPER.valueToTree(codes));
            summary.append(String.format(Locale.ROOT, "%s%s %.0f ms%s", summary.isEmpty() ? "" : ", ", target,
                    median(seconds) * 1000, codes.stream().allMatch(c -> c == 200) ? "" : " (HTTP " + codes + " !)"));
        }
        line("10 MB multipart image edit, median time per sequential upload: %s", summary);
    }

    private void targets(boolean heapMeasured, double heapGrowthMb, double antlerRssMb, double firstResponseMs,
                         String firstResponseBasis) {
        ArrayNode checks = report.putArray("targets");
        line("Targets (issue 7); load figures are the median over rounds of the per-round comparison, [min-max]:");
        StringBuilder cpu = new StringBuilder();
        StringBuilder throughput = new StringBuilder();
        StringBuilder added = new StringBuilder();
        boolean cpuOk = true;
        boolean throughputOk = true;
        boolean addedOk = true;
        ObjectNode rounds = report.putObject("per_round_comparisons");
        for (String scenario : SCENARIOS) {
            ObjectNode r = rounds.putObject(scenario);
            ObjectNode ratio = (ObjectNode) r.putObject("cpu_per_req_antler_over_nginx_c64").setAll(
                    perRound(scenario, "nginx", 64, (a, n) -> cpuPerRequest(a) / cpuPerRequest(n)));
            ObjectNode share = (ObjectNode) r.putObject("rps_antler_over_nginx_c64").setAll(
                    perRound(scenario, "nginx", 64, (a, n) -> rps(a) / rps(n)));
            ObjectNode addedUs = (ObjectNode) r.putObject("added_p50_us_c1").setAll(
                    perRound(scenario, "direct", 1, (a, d) -> latency(a, "p50") - latency(d, "p50")));
            cpuOk &= ratio.path("median").asDouble() <= CPU_RATIO_MAX;
            throughputOk &= share.path("median").asDouble() >= THROUGHPUT_RATIO_MIN;
            addedOk &= addedUs.path("median").asDouble() <= ADDED_P50_MAX_US;
            cpu.append(String.format(Locale.ROOT, "  %s %.1fx [%.1f-%.1f]", scenario, ratio.path("median").asDouble(),
                    ratio.path("min").asDouble(), ratio.path("max").asDouble()));
            throughput.append(String.format(Locale.ROOT, "  %s %.0f%% [%.0f-%.0f]", scenario,
                    share.path("median").asDouble() * 100, share.path("min").asDouble() * 100,
                    share.path("max").asDouble() * 100));
            added.append(String.format(Locale.ROOT, "  %s %+.0f us [%+.0f..%+.0f]", scenario,
                    addedUs.path("median").asDouble(), addedUs.path("min").asDouble(), addedUs.path("max").asDouble()));
        }
        check(checks, "cpu_per_request", "Antler CPU/request <= 2x nginx's (64 conns)", cpuOk, cpu.toString().trim());
        floor(rounds);
        check(checks, "throughput_64", "throughput at 64 conns >= 50% of nginx's", throughputOk,
                throughput.toString().trim());
        check(checks, "added_p50", "added p50 over direct <= 150 us (1 conn)", addedOk, added.toString().trim());
        check(checks, "peak_rss", "peak RSS <= 300 MB", antlerRssMb > 0 && antlerRssMb <= RSS_MAX_MB,
                String.format(Locale.ROOT, "%.0f MB", antlerRssMb));
        check(checks, "heap_growth_upload", "heap growth during the 10 MB upload < 2 MB",
                heapMeasured && heapGrowthMb < HEAP_GROWTH_MAX_MB, String.format(Locale.ROOT, "%.2f MB", heapGrowthMb));
        check(checks, "first_response", "first relayed response < 1 s after launch",
                firstResponseMs < FIRST_RESPONSE_MAX_MS,
                String.format(Locale.ROOT, "%.0f ms (median, %s)", firstResponseMs, firstResponseBasis));
        line("Targets (issue 20), load; the same per-round comparisons:");
        StringBuilder cpu20 = new StringBuilder();
        StringBuilder throughput20 = new StringBuilder();
        boolean cpu20Ok = true;
        boolean throughput20Ok = true;
        for (String scenario : SCENARIOS) {
            double ratio = rounds.path(scenario).path("cpu_per_req_antler_over_nginx_c64").path("median").asDouble();
            double share = rounds.path(scenario).path("rps_antler_over_nginx_c64").path("median").asDouble();
            boolean cpuPass = ratio <= CPU_RATIO_MAX_20;
            boolean sharePass = share >= THROUGHPUT_RATIO_MIN_20;
            cpu20Ok &= cpuPass;
            throughput20Ok &= sharePass;
            cpu20.append(String.format(Locale.ROOT, "  %s %.1fx %s", scenario, ratio, cpuPass ? "pass" : "MISS"));
            throughput20.append(String.format(Locale.ROOT, "  %s %.0f%% %s", scenario, share * 100,
                    sharePass ? "pass" : "MISS"));
        }
        check(checks, "cpu_per_request_20", "Antler CPU/request <= 1.5x nginx's (64 conns)", cpu20Ok,
                cpu20.toString().trim());
        check(checks, "throughput_64_20", "throughput at 64 conns >= 75% of nginx's", throughput20Ok,
                throughput20.toString().trim());
        double chatAdded = rounds.path("chat").path("added_p50_us_c1").path("median").asDouble();
        check(checks, "added_p50_chat_20", "added p50 over direct <= 25 us (chat, 1 conn)",
                chatAdded <= ADDED_P50_CHAT_MAX_US_20, String.format(Locale.ROOT, "%+.0f us", chatAdded));
        check(checks, "first_response_20", "first relayed response <= 400 ms after launch",
                firstResponseMs <= FIRST_RESPONSE_MAX_MS_20,
                String.format(Locale.ROOT, "%.0f ms (median, %s)", firstResponseMs, firstResponseBasis));
    }

    private void check(ArrayNode checks, String id, String label, boolean pass, String figures) {
        ObjectNode c = checks.addObject();
        c.put("id", id);
        c.put("target", label);
        c.put("pass", pass);
        c.put("figures", figures);
        line("  [%s] %-52s %s", pass ? "PASS" : "MISS", label, figures);
    }

    private List<Double> startups(String target, String mode, boolean freshDb) {
        List<Double> ms = new ArrayList<>();
        for (JsonNode s : all("startup")) {
            if (s.path("target").asString().equals(target) && s.path("mode").asString().equals(mode)
                    && s.path("fresh_db").asBoolean() == freshDb) {
                ms.add(s.path("ms").asDouble());
            }
        }
        return ms;
    }

    private JsonNode first(String kind) {
        return all(kind).stream().findFirst().orElse(MAPPER.createObjectNode());
    }

    private List<JsonNode> all(String kind) {
        return lines.stream().filter(l -> l.path("kind").asString().equals(kind)).toList();
    }

    private static double sum(Collection<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
        return runs.stream().mapToDouble(f).sum();
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void line(String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

package dev.antler.metrics;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import dev.antler.billing.LedgerWriter;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelRegistry;
import dev.antler.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /metrics}: the gateway in the Prometheus text format, optionally behind a bearer token. A scrape
 * reads the relay's bound meters, the channels' breakers, the ledger's queue and dead letters, the tasks by
 * family and status (from the store at most once per {@code taskCountsMs}) and the JVM; it runs off the event
 * loop.
 */
public final class MetricsEndpoint {

    public static final String PATH = "/metrics";

    private final Vertx vertx;
    private final RelayMetrics relay;
    private final ChannelRegistry channels;
    private final LedgerWriter ledger;
    private final TaskCounts tasks;
    private final UpstreamPools pools;
    private final byte[] token;
    private final List<Figure> figures = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One figure without labels that another part of the gateway shows here. */
    private record Figure(String name, String type, String help, java.util.function.LongSupplier value) {}

    public MetricsEndpoint(Vertx vertx, RelayMetrics relay, UpstreamPools pools, ChannelRegistry channels,
                           LedgerWriter ledger, Database database, Clock clock, long taskCountsMs, String token) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.pools = requireNonNull(pools, "pools");
        this.relay = requireNonNull(relay, "relay");
        this.channels = requireNonNull(channels, "channels");
        this.ledger = requireNonNull(ledger, "ledger");
        this.tasks = new TaskCounts(database, clock, taskCountsMs);
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Shows {@code value} as the metric {@code name} of {@code type} (gauge or counter) in every scrape. */
    public void add(String name, String type, String help, java.util.function.LongSupplier value) {
        figures.add(new Figure(name, type, help, value));
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.GET, PATH, OpenAiErrorFormat.INSTANCE, this::scrape);
    }

    private void scrape(Exchange exchange) {
        if (token != null) {
            String given = exchange.request().getHeader("Authorization");
            if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
                exchange.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
                exchange.fail(new GatewayException(401, ErrorKind.AUTHENTICATION, "invalid_metrics_token",
                        "Authorization: Bearer <metrics.token> (expected: the token set as metrics.token)"));
                return;
            }
        }
        vertx.executeBlocking(this::render, false).onComplete(done -> {
            if (done.failed()) {
                exchange.fail(done.cause());
                return;
            }
            exchange.response().setStatusCode(200).putHeader("Content-Type", PromText.CONTENT_TYPE)
                    .putHeader("Cache-Control", "no-store")
                    .end(Buffer.buffer(done.result().getBytes(StandardCharsets.UTF_8)));
        });
    }

    /** The whole exposition, as a scrape answers it. */
    public String render() {
        PromText out = new PromText();
        writeRelay(out);
        writeOverhead(out);
        pools.write(out);
        writeChannels(out);
        writeLedger(out);
        tasks.write(out);
        for (Figure figure : figures) {
            out.family(figure.name(), figure.type(), figure.help());
            out.sample(figure.name(), "", figure.value().getAsLong());
        }
        JvmMetrics.write(out);
        return out.toString();
    }

    private void writeRelay(PromText out) {
        List<RelayMetrics.Series> all = new ArrayList<>();
        relay.series().forEach(all::add);
        out.family("antler_requests_total", "counter",
                "Requests settled by the relay, by family (channel type), operation, model, channel and HTTP status.");
        forEachOutcome(all, (labels, o) -> out.sample("antler_requests_total", labels, o.requests.sum()));
        out.family("antler_tokens_total", "counter",
                "Tokens billed, by family, operation, model, channel, status and type (prompt, completion, cached).");
        forEachOutcome(all, (labels, o) -> {
            out.sample("antler_tokens_total", labels + ",type=\"prompt\"", o.promptTokens.sum());
            out.sample("antler_tokens_total", labels + ",type=\"completion\"", o.completionTokens.sum());
            out.sample("antler_tokens_total", labels + ",type=\"cached\"", o.cachedTokens.sum());
        });
        out.family("antler_spend_nano_usd_total", "counter",
                "Charged to users at settlement, in nano-USD (1e-9 USD), by family, operation, model, channel and status.");
        forEachOutcome(all, (labels, o) -> out.sample("antler_spend_nano_usd_total", labels, o.spendNanos.sum()));
        out.family("antler_request_duration_seconds", "histogram",
                "Relayed requests from the request head to settlement (the end of the answer).");
        for (RelayMetrics.Series s : all) {
            s.total.write(out, "antler_request_duration_seconds", seriesLabels(s.key));
        }
        out.family("antler_upstream_first_byte_seconds", "histogram",
                "From the request head to the first byte of the upstream's answer.");
        for (RelayMetrics.Series s : all) {
            s.firstByte.write(out, "antler_upstream_first_byte_seconds", seriesLabels(s.key));
        }
        out.family("antler_requests_in_flight", "gauge", "Relayed requests begun and not yet settled.");
        out.sample("antler_requests_in_flight", "", relay.inFlight());
        out.family("antler_active_streams", "gauge", "Streamed answers being relayed now.");
        out.sample("antler_active_streams", "", relay.streams());
        out.family("antler_realtime_sessions", "gauge", "OpenAI Realtime sessions open now.");
        out.sample("antler_realtime_sessions", "", relay.sessions());
        out.family("antler_realtime_sessions_ended_total", "counter",
                "OpenAI Realtime sessions ended, by reason (complete, client_gone, upstream_cut, timeout, balance).");
        relay.sessionEnds().forEach((reason, count) -> out.sample("antler_realtime_sessions_ended_total",
                PromText.labels("reason", reason), count.sum()));
    }

    private interface OutcomeWriter {
        void write(String labels, RelayMetrics.Outcome outcome);
    }

    private static void forEachOutcome(List<RelayMetrics.Series> all, OutcomeWriter writer) {
        for (RelayMetrics.Series s : all) {
            String labels = seriesLabels(s.key);
            for (int status = 0; status < s.byStatus.length(); status++) {
                RelayMetrics.Outcome outcome = s.byStatus.get(status);
                if (outcome != null) {
                    writer.write(labels + ",status=\"" + status + "\"", outcome);
                }
            }
        }
    }

    private static String seriesLabels(RelayMetrics.SeriesKey key) {
        return PromText.labels("family", key.family(), "operation", key.operation(), "model", key.model(),
                "channel", key.channel());
    }

    /** The relay's own time ({@link RelayOverhead}), per process. */
    private static void writeOverhead(PromText out) {
        out.family("antler_gateway_overhead_seconds", "histogram", "The gateway's own time on a relayed request, "
                + "without the upstream's: phase request (head in to upstream head out) and response (upstream head in "
                + "to client head out). Per process.");
        double[] bounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25};
        writeOverhead(out, "request", RelayOverhead.REQUEST.snapshot(), bounds);
        writeOverhead(out, "response", RelayOverhead.RESPONSE.snapshot(), bounds);
    }

    private static void writeOverhead(PromText out, String phase, LatencyHistogram.Snapshot snapshot, double[] bounds) {
        String labels = PromText.labels("phase", phase);
        for (double bound : bounds) {
            long micros = Math.round(bound * 1_000_000);
            out.bucket("antler_gateway_overhead_seconds", labels, PromText.seconds(micros),
                    snapshot.countAtMost(micros * 1000));
        }
        out.bucket("antler_gateway_overhead_seconds", labels, "+Inf", snapshot.count());
        out.sample("antler_gateway_overhead_seconds_sum", labels, PromText.seconds(snapshot.sumNanos() / 1000));
        out.sample("antler_gateway_overhead_seconds_count", labels, snapshot.count());
    }

    private void writeChannels(PromText out) {
        List<Channel> all = channels.all();
        out.family("antler_channel_breaker_state", "gauge",
                "1 for the channel's circuit breaker state (closed, open, half_open), else 0.");
        for (Channel channel : all) {
            String state = channels.health().view(channel.id()).state();
            for (String each : List.of("closed", "open", "half_open")) {
                out.sample("antler_channel_breaker_state", PromText.labels("channel", channel.name(), "type",
                        channel.type(), "state", each), each.equals(state) ? 1 : 0);
            }
        }
        out.family("antler_channel_recent_failures", "gauge", "Failures the channel's breaker counts in its window.");
        for (Channel channel : all) {
            out.sample("antler_channel_recent_failures", PromText.labels("channel", channel.name(), "type",
                    channel.type()), channels.health().view(channel.id()).recentFailures());
        }
        out.family("antler_channel_enabled", "gauge", "1 while the channel is routed to, 0 while it is disabled "
                + "(by an operator or, reason auto, by the gateway).");
        long disabled = 0;
        for (Channel channel : all) {
            boolean enabled = channel.status() == Status.ACTIVE;
            disabled += enabled ? 0 : 1;
            out.sample("antler_channel_enabled", PromText.labels("channel", channel.name(), "type", channel.type(),
                    "reason", enabled ? "" : ChannelHealth.isAutoDisabled(channel) ? "auto"
                            : "operator"), enabled ? 1 : 0);
        }
        out.family("antler_channels_disabled", "gauge", "Channels not routed to.");
        out.sample("antler_channels_disabled", "", disabled);
    }

    private void writeLedger(PromText out) {
        out.family("antler_ledger_queue_depth", "gauge", "Settlements queued for the store and not yet written.");
        out.sample("antler_ledger_queue_depth", "", ledger.backlogSize());
        out.family("antler_ledger_oldest_unwritten_seconds", "gauge",
                "How long the oldest unwritten settlement has waited; 0 when none waits.");
        out.sample("antler_ledger_oldest_unwritten_seconds", "",
                PromText.seconds(ledger.backlog().oldestUnwrittenMillis() * 1000));
        out.family("antler_ledger_failing", "gauge", "1 while writes to the store fail, else 0.");
        out.sample("antler_ledger_failing", "", ledger.backlog().failingSince() > 0 ? 1 : 0);
        out.family("antler_ledger_dead_letters", "gauge",
                "Settlements in the dead-letter file, waiting to be replayed by an admin or the next start.");
        out.sample("antler_ledger_dead_letters", "", ledger.deadLetters().count());
    }
}

package dev.antler.relay;

import dev.antler.accounts.Authenticator;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.PriceBook;
import dev.antler.config.BillingConfig;
import dev.antler.limits.Limits;
import dev.antler.metrics.RelayMetrics;
import dev.antler.routing.ChannelRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import dev.antler.tasks.Tasks;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * What the relay stages share; {@code blocking} runs the store work of task submits off the event loop. Relayed
 * requests go out on {@code relayClient}; {@code upstream} (Vert.x's client) serves the families' other calls to
 * upstreams (result downloads, image proxies).
 */
public record RelayServices(
        Vertx vertx,
        HttpClient upstream,
        UpstreamClient relayClient,
        Authenticator authenticator,
        ChannelRegistry channels,
        PriceBook prices,
        BalanceBook balances,
        LedgerWriter ledger,
        BillingConfig billing,
        Path spoolDirectory,
        RandomGenerator random,
        Clock clock,
        int maxAttempts,
        Limits limits,
        Tasks tasks,
        ExecutorService blocking,
        RelayMetrics metrics) {}

package dev.antler.relay;

import dev.antler.accounts.Authenticator;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.PriceBook;
import dev.antler.config.BillingConfig;
import dev.antler.limits.Limits;
import dev.antler.routing.ChannelRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** What the relay stages share. */
public record RelayServices(
        Vertx vertx,
        HttpClient upstream,
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
        Limits limits) {}

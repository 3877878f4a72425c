package dev.antler.admin;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Authenticator;
import dev.antler.app.AdminKey;
import dev.antler.billing.BalanceBook;
import dev.antler.console.Console;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.PriceBook;
import dev.antler.billing.PriceStore;
import dev.antler.family.Families;
import dev.antler.limits.Limits;
import dev.antler.routing.ChannelRegistry;
import dev.antler.routing.ChannelStore;
import dev.antler.security.BaseUrlGuard;
import dev.antler.store.Database;
import io.vertx.core.Vertx;
import java.time.Clock;

/** What the admin API works with. Store calls block: run them with {@code vertx.executeBlocking}. */
public record AdminContext(
        Vertx vertx,
        Database database,
        AccountStore accounts,
        ChannelStore channels,
        PriceStore prices,
        ChannelRegistry registry,
        PriceBook priceBook,
        BalanceBook balances,
        LedgerWriter ledger,
        Authenticator authenticator,
        AdminKey adminKey,
        Clock clock,
        Limits limits,
        BaseUrlGuard baseUrlGuard,
        AdminEdits edits,
        Families families,
        Console console) {}

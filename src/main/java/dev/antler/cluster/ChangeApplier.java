package dev.antler.cluster;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Authenticator;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.PriceBook;
import dev.antler.billing.PriceStore;
import dev.antler.cluster.ChangeNotices.Notice;
import dev.antler.limits.Limits;
import dev.antler.routing.ChannelRegistry;
import dev.antler.routing.ChannelStore;
import java.util.function.Consumer;

/**
 * Applies another instance's change notice here by re-reading what it names from the store, the way this
 * instance applies its own admin edits: channels into the registry, price overrides into the price book, and
 * for accounts the cached principals dropped, the stored limits re-read, and the in-memory key limit or user
 * balance refreshed; a circuit breaker's opening or close, which is not stored, from the notice itself. Blocking:
 * runs on the cluster thread.
 */
public record ChangeApplier(
        ChannelRegistry registry,
        ChannelStore channels,
        PriceBook priceBook,
        PriceStore prices,
        AccountStore accounts,
        Authenticator authenticator,
        Limits limits,
        BalanceBook balances,
        LedgerWriter ledger,
        BreakerNotices breakers) implements Consumer<Notice> {

    @Override
    public void accept(Notice notice) {
        switch (notice.kind()) {
            case CHANNEL -> {
                synchronized (registry) { // as ChannelSwitch writes it
                    registry.replace(channels.list());
                }
            }
            case BREAKER -> breakers.apply(notice.id());
            case PRICE -> priceBook.replaceOverrides(prices.all());
            case GROUP -> authenticator.invalidateAll();
            case LIMIT -> limits.limiter().load(limits.store());
            case USER -> {
                authenticator.invalidateAll();
                limits.limiter().load(limits.store());
                Long id = id(notice);
                if (id != null && balances.hasWallet(id)) {
                    // A credit of nothing through the writer reads the stored balance back in order with this
                    // instance's own charges, so the wallet never counts a charge twice or not at all.
                    ledger.credit(id, 0, "refresh", null, null);
                }
            }
            case KEY -> {
                authenticator.invalidateAll();
                limits.limiter().load(limits.store());
                Long id = id(notice);
                if (id != null) {
                    accounts.findKey(id).ifPresent(balances::keyChanged);
                }
            }
        }
    }

    private static Long id(Notice notice) {
        try {
            return Long.parseLong(notice.id());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

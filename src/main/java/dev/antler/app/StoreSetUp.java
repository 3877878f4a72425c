package dev.antler.app;

import dev.antler.accounts.AccountStore;
import dev.antler.config.AntlerConfig;
import dev.antler.routing.ChannelStore;
import dev.antler.security.BaseUrlGuard;
import dev.antler.security.ServerSecret;
import dev.antler.store.Database;
import java.time.Duration;

/**
 * What a start writes to the store before it serves: the config file's groups, channels, prices, users and keys
 * ({@link Seeder}), the stored channels held to the address rules, the admin key and the server secret. Done under
 * the store's set-up lock, so instances starting together on one store (a {@code docker compose up} of several)
 * take turns: each reads what the one before it wrote, instead of racing it to create the same user (one start
 * fails on the duplicate) or storing an admin key of its own that the others do not accept.
 */
final class StoreSetUp {

    /** How long a start waits for another instance's set-up, which takes well under a second. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(60);

    record Done(AdminKey.Established adminKey, ServerSecret serverSecret) {}

    private StoreSetUp() {}

    static Done run(Database database, Seeder seeder, AccountStore accounts, ChannelStore channels,
                    AntlerConfig config) {
        return database.exclusively("set-up", LOCK_WAIT, () -> {
            seeder.apply(config);
            StoredChannelAddresses.recheck(channels, new BaseUrlGuard(config.security().allowPrivateBaseUrls()));
            return new Done(AdminKey.establish(accounts, config.admin().key()), ServerSecret.establish(accounts));
        });
    }
}

package dev.antler.openai.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import dev.antler.testing.Race;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ephemeral realtime keys on every store engine: only a hash is kept; a key is spent once however many instances
 * (here two connection pools on one database) try it at once; it survives a restart until it expires; a key minted
 * for a model opens no other.
 */
class RealtimeSecretStoreTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anEphemeralKeyIsKeptAsAHashSpentOnceAcrossInstancesAndRestartsAndExpires(Engine engine) throws Exception {
        DatabaseConfig config = databases.create(engine);
        ManualClock clock = ManualClock.now();
        String apiKey = "sk-realtime-store-" + engine.name().toLowerCase();
        String raced = RealtimeSecrets.PREFIX + "raced-" + engine.name();
        String kept = RealtimeSecrets.PREFIX + "kept-" + engine.name();
        String late = RealtimeSecrets.PREFIX + "late-" + engine.name();
        String bound = RealtimeSecrets.PREFIX + "bound-" + engine.name();
        try (Database one = Database.open(config); Database two = Database.open(config)) {
            AccountStore accounts = new AccountStore(one, clock);
            long userId = accounts.createUser("rt-" + engine.name(), "default", Status.ACTIVE).id();
            ApiKey key = accounts.createKey(userId, "app", ApiKeys.hash(apiKey), ApiKeys.hint(apiKey), null, null,
                    List.of());
            RealtimeSecretStore first = new RealtimeSecretStore(one, clock);
            RealtimeSecretStore second = new RealtimeSecretStore(two, clock);
            long expires = clock.millis() + 60_000;
            first.mint(raced, key.id(), null, expires);
            first.mint(kept, key.id(), "gpt-realtime", expires);
            first.mint(late, key.id(), null, expires);
            first.mint(bound, key.id(), "gpt-realtime", expires);

            List<Map<String, Object>> rows = one.jdbi().withHandle(h -> h.createQuery(
                    "SELECT * FROM realtime_secrets").mapToMap().list());
            assertThat(rows).hasSize(4);
            assertThat(rows.toString()).doesNotContain(raced, kept, late, bound, apiKey)
                    .contains(ApiKeys.hash(raced));

            AtomicInteger won = new AtomicInteger();
            Race.run(16, () -> spendInto(first, raced, won), () -> spendInto(second, raced, won));
            assertThat(won).as("spends of one key by 16 racers on two instances").hasValue(1);
            assertThat(second.spend(raced, "gpt-realtime")).isEmpty();

            assertThat(second.spend(bound, "gpt-4o-realtime-preview")).as("minted for another model").isEmpty();
            assertThat(second.spend(bound, "gpt-realtime")).as("not spent by the refusal").contains(ApiKeys.hash(apiKey));
        }
        try (Database restarted = Database.open(config)) {
            RealtimeSecretStore store = new RealtimeSecretStore(restarted, clock);
            assertThat(store.spend(kept, "gpt-realtime")).as("after a restart").contains(ApiKeys.hash(apiKey));
            assertThat(store.spend(kept, "gpt-realtime")).isEmpty();
            clock.advanceSeconds(60);
            assertThat(store.spend(late, "gpt-realtime")).as("at its expiry").isEmpty();
            assertThat(store.spend("ek_never-minted", "gpt-realtime")).isEmpty();

            clock.advanceSeconds(RealtimeSecretStore.PURGE_EVERY_MS / 1000);
            store.mint(RealtimeSecrets.PREFIX + "fresh", 1, null, clock.millis() + 60_000);
            long left = restarted.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM realtime_secrets")
                    .mapTo(Long.class).one());
            assertThat(left).as("expired rows purged on a mint").isEqualTo(1);
        }
    }

    private static void spendInto(RealtimeSecretStore store, String ephemeral, AtomicInteger won) {
        Optional<String> spent = store.spend(ephemeral, "gpt-realtime");
        if (spent.isPresent()) {
            won.incrementAndGet();
        }
    }
}

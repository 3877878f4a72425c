package dev.antler.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountStoreTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final long NOW = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();
    private static final long USD = 1_000_000_000L;

    private static AccountStore store(Engine engine) {
        Database database = databases.open(engine);
        return new AccountStore(database, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void createsFindsListsAndUpdatesUsers(Engine engine) {
        AccountStore store = store(engine);
        User alice = store.createUser("users-alice", "default", Status.ACTIVE);
        User bob = store.createUser("users-bob", "vip", Status.DISABLED);

        assertThat(alice.id()).isPositive();
        assertThat(alice).isEqualTo(new User(alice.id(), "users-alice", "default", Status.ACTIVE, 0, 0, 0, NOW));
        assertThat(bob).isEqualTo(new User(bob.id(), "users-bob", "vip", Status.DISABLED, 0, 0, 0, NOW));
        assertThat(store.findUser(alice.id())).contains(alice);
        assertThat(store.findUserByName("users-bob")).contains(bob);
        assertThat(store.findUserByName("users-nobody")).isEmpty();
        assertThat(store.findUser(Long.MAX_VALUE)).isEmpty();

        List<User> all = store.listUsers(1000, 0);
        assertThat(all).containsSubsequence(alice, bob).extracting(User::id).isSorted();
        int index = all.indexOf(alice);
        assertThat(store.listUsers(1, index + 1)).containsExactly(bob);
        assertThat(store.listUsers(2, index)).containsExactly(alice, bob);

        store.updateUser(alice.id(), "vip", Status.DISABLED);
        assertThat(store.findUser(alice.id())).contains(
                new User(alice.id(), "users-alice", "vip", Status.DISABLED, 0, 0, 0, NOW));
        assertThat(store.findUser(bob.id())).contains(bob);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesADuplicateUserName(Engine engine) {
        AccountStore store = store(engine);
        store.createUser("dup-user", "default", Status.ACTIVE);
        assertThatThrownBy(() -> store.createUser("dup-user", "default", Status.ACTIVE))
                .isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void comparesNamesExactlyOnEveryEngine(Engine engine) {
        AccountStore store = store(engine);
        User lower = store.createUser("case-carol", "default", Status.ACTIVE);
        User upper = store.createUser("Case-Carol", "default", Status.ACTIVE);
        assertThat(store.findUserByName("case-carol")).contains(lower);
        assertThat(store.findUserByName("Case-Carol")).contains(upper);
        assertThat(store.findUserByName("CASE-CAROL")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void createsFindsListsAndUpdatesKeys(Engine engine) {
        AccountStore store = store(engine);
        User user = store.createUser("keys-dave", "default", Status.ACTIVE);
        String secret = "sk-keys-dave-0123456789abcdef";
        String hash = ApiKeys.hash(secret);
        long expiry = NOW + 86_400_000L;

        ApiKey limited = store.createKey(user.id(), "laptop", hash, ApiKeys.hint(secret), expiry, 5 * USD,
                List.of("gpt-4o-mini", "dall-e-3"));
        ApiKey open = store.createKey(user.id(), "server", ApiKeys.hash("sk-keys-dave-other"),
                ApiKeys.hint("sk-keys-dave-other"), null, null, List.of());

        assertThat(limited).isEqualTo(new ApiKey(limited.id(), user.id(), "laptop", "…cdef", Status.ACTIVE,
                expiry, 5 * USD, 0, 0, Set.of("gpt-4o-mini", "dall-e-3"), NOW, null));
        assertThat(limited.allowedModels()).containsExactly("gpt-4o-mini", "dall-e-3");
        assertThat(open).isEqualTo(new ApiKey(open.id(), user.id(), "server", "…ther", Status.ACTIVE,
                null, null, 0, 0, Set.of(), NOW, null));
        assertThat(store.findKey(limited.id())).contains(limited);
        assertThat(store.findKeyByHash(hash)).contains(limited);
        assertThat(store.findKeyByHash(hash.toUpperCase())).isEmpty();
        assertThat(store.findKeyByHash(ApiKeys.hash("sk-unknown"))).isEmpty();
        assertThat(store.listKeys(user.id())).containsExactly(limited, open);

        store.updateKey(limited.id(), "desktop", Status.DISABLED, null, null, List.of());
        store.updateKey(open.id(), "server", Status.ACTIVE, expiry, 0L, List.of("text-embedding-3-small"));
        assertThat(store.findKey(limited.id())).contains(new ApiKey(limited.id(), user.id(), "desktop",
                "…cdef", Status.DISABLED, null, null, 0, 0, Set.of(), NOW, null));
        assertThat(store.findKey(open.id())).contains(new ApiKey(open.id(), user.id(), "server", "…ther",
                Status.ACTIVE, expiry, 0L, 0, 0, Set.of("text-embedding-3-small"), NOW, null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesADuplicateKeyHash(Engine engine) {
        AccountStore store = store(engine);
        User user = store.createUser("keys-erin", "default", Status.ACTIVE);
        String hash = ApiKeys.hash("sk-keys-erin-dup");
        store.createKey(user.id(), "one", hash, "sk-key…-dup", null, null, List.of());
        assertThatThrownBy(() -> store.createKey(user.id(), "two", hash, "sk-key…-dup", null, null, List.of()))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.listKeys(user.id())).extracting(ApiKey::name).containsExactly("one");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesAKeyForAnUnknownUser(Engine engine) {
        AccountStore store = store(engine);
        assertThatThrownBy(() -> store.createKey(987_654_321L, "orphan", ApiKeys.hash("sk-orphan"), "sk-orp…", null,
                null, List.of()))
                .isInstanceOf(RuntimeException.class);
        assertThat(store.findKeyByHash(ApiKeys.hash("sk-orphan"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void upsertsGroups(Engine engine) {
        AccountStore store = store(engine);
        store.upsertGroup(new Group("groups-vip", 800_000, "vip customers"));
        assertThat(store.findGroup("groups-vip")).contains(new Group("groups-vip", 800_000, "vip customers"));

        store.upsertGroup(new Group("groups-vip", 1_500_000, null));
        assertThat(store.findGroup("groups-vip")).contains(new Group("groups-vip", 1_500_000, null));
        assertThat(store.listGroups()).filteredOn(g -> g.name().equals("groups-vip"))
                .containsExactly(new Group("groups-vip", 1_500_000, null));
        assertThat(store.listGroups()).extracting(Group::name).isSorted();
        assertThat(store.findGroup("groups-none")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void putsSettings(Engine engine) {
        AccountStore store = store(engine);
        store.putSetting("settings.banner", "hello");
        store.putSetting("settings.banner", "caf\u00e9 \u2615 " + "x".repeat(5000));
        assertThat(store.setting("settings.banner")).contains("caf\u00e9 \u2615 " + "x".repeat(5000));
        store.putSetting("settings.banner", "");
        assertThat(store.setting("settings.banner")).contains("");
        assertThat(store.setting("settings.none")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void creditsBalanceAndLedgerTogether(Engine engine) {
        AccountStore store = store(engine);
        User user = store.createUser("credit-frank", "default", Status.ACTIVE);

        assertThat(store.credit(user.id(), 10 * USD, "topup", "order-1", "first top-up")).isEqualTo(10 * USD);
        assertThat(store.credit(user.id(), -3 * USD, "adjust", null, null)).isEqualTo(7 * USD);

        assertThat(store.findUser(user.id()).orElseThrow().balanceNanos()).isEqualTo(7 * USD);
        assertThat(store.ledgerSum(user.id())).isEqualTo(7 * USD);
        List<String> ledger = databases.open(engine).jdbi().withHandle(h -> h.createQuery(
                        "SELECT amount_nanos, kind, reference, note, created_at FROM ledger WHERE user_id = :id "
                                + "ORDER BY id")
                .bind("id", user.id())
                .map((rs, ctx) -> rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " " + rs.getLong(5))
                .list());
        assertThat(ledger).containsExactly(
                10 * USD + " topup order-1 first top-up " + NOW,
                -3 * USD + " adjust null null " + NOW);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesACreditForAnUnknownUserWithoutWritingALedgerRow(Engine engine) {
        AccountStore store = store(engine);
        long missing = 987_654_321L;
        assertThatThrownBy(() -> store.credit(missing, USD, "topup", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user: 987654321 (expected: an existing user id)");
        assertThat(store.ledgerSum(missing)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void keepsLedgerAndBalanceEqualUnderConcurrentCredits(Engine engine) throws Exception {
        AccountStore store = store(engine);
        User user = store.createUser("credit-grace", "default", Status.ACTIVE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Long>> credits = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                long amount = i % 3 == 0 ? -i * 1_000L : i * 7_000L;
                credits.add(CompletableFuture.supplyAsync(
                        () -> store.credit(user.id(), amount, "topup", null, null), pool));
            }
            CompletableFuture.allOf(credits.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long expected = 0;
        for (int i = 1; i <= 40; i++) {
            expected += i % 3 == 0 ? -i * 1_000L : i * 7_000L;
        }
        assertThat(store.findUser(user.id()).orElseThrow().balanceNanos()).isEqualTo(expected);
        assertThat(store.ledgerSum(user.id())).isEqualTo(expected);
    }
}

package dev.antler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Group;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.admin.AdminEdits;
import dev.antler.admin.AdminEdits.Kind;
import dev.antler.billing.Price;
import dev.antler.billing.PriceStore;
import dev.antler.cluster.ChangeNotices;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ConfigLoader;
import dev.antler.config.DatabaseConfig;
import dev.antler.config.PriceConfig;
import dev.antler.family.Families;
import dev.antler.limits.KeyLimits;
import dev.antler.limits.LimitStore;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelStore;
import dev.antler.store.Database;
import dev.antler.testing.ExampleConfig;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.math.BigDecimal;
import java.sql.ResultSetMetaData;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeederTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    static final String EXAMPLE = ExampleConfig.SEED_SECTIONS;
    private static final String ALICE_KEY = "sk-alice-0123456789abcdef";
    private static final long USD = 1_000_000_000L;

    /** Tables in primary-key order; timestamps are left out, as re-applying the file may move them. */
    private static final Map<String, String> TABLES = tables();
    private static final Set<String> TIMESTAMPS = Set.of("created_at", "updated_at", "last_used_at");

    private record Stores(AccountStore accounts, ChannelStore channels, PriceStore prices, LimitStore limits,
                          AdminEdits edits, Seeder seeder) {}

    private static Stores stores(Database database, Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        AccountStore accounts = new AccountStore(database, clock);
        ChannelStore channels = new ChannelStore(database, clock);
        PriceStore prices = new PriceStore(database, clock);
        LimitStore limits = new LimitStore(database, clock);
        AdminEdits edits = new AdminEdits(database, clock, ChangeNotices.none());
        return new Stores(accounts, channels, prices, limits, edits,
                new Seeder(accounts, channels, prices, limits, edits, Families.builtIn()));
    }

    private static AntlerConfig parse(String yaml) {
        return new ConfigLoader(name -> null).parse(yaml);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void appliesTheExampleTwiceWithTheSameResult(Engine engine) {
        Database database = databases.openFresh(engine);
        AntlerConfig config = parse(EXAMPLE);

        stores(database, Instant.parse("2025-01-01T00:00:00Z")).seeder().apply(config);
        Map<String, List<String>> first = dump(database, true);
        Stores later = stores(database, Instant.parse("2025-06-01T00:00:00Z"));
        later.seeder().apply(config);

        assertThat(dump(database, true)).isEqualTo(first);
        assertThat(first.get("users")).hasSize(1);
        assertThat(first.get("ledger")).hasSize(1);
        assertThat(first.get("usage_logs")).isEmpty();

        User alice = later.accounts().findUserByName("alice").orElseThrow();
        assertThat(alice.balanceNanos()).isEqualTo(10 * USD).isEqualTo(later.accounts().ledgerSum(alice.id()));
        assertThat(alice.group()).isEqualTo("default");
        assertThat(later.accounts().findGroup("default")).contains(Group.defaultGroup());

        ApiKey laptop = later.accounts().findKeyByHash(ApiKeys.hash(ALICE_KEY)).orElseThrow();
        assertThat(laptop.userId()).isEqualTo(alice.id());
        assertThat(laptop.name()).isEqualTo("laptop");
        assertThat(laptop.hint()).isEqualTo("…cdef");
        assertThat(laptop.expiresAt()).isNull();
        assertThat(laptop.spendLimitNanos()).isNull();
        assertThat(laptop.allowedModels()).isEmpty();
        assertThat(dump(database, false).values()).flatMap(rows -> rows)
                .noneMatch(row -> row.contains(ALICE_KEY));

        assertThat(later.channels().list()).containsExactly(new Channel(
                later.channels().list().getFirst().id(), "openai-main", "openai", "https://api.openai.com",
                "sk-upstream-key", Set.of("gpt-4o-mini", "text-embedding-3-small"),
                Map.of("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), 0, 1, Set.of("default"), Status.ACTIVE, null));
        assertThat(later.prices().all()).isEqualTo(Map.of(
                "gpt-4o-mini", new Price(150_000_000L, 600_000_000L, null, null, null, null, null),
                "dall-e-3", new Price(null, null, null, null, 40_000_000L, null, null),
                "some-model", new Price(null, null, null, null, null, 10_000_000L, null)));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void updatesWhatTheFileChangedButNeverCreditsTheOpeningBalanceAgain(Engine engine) {
        Database database = databases.openFresh(engine);
        Stores stores = stores(database, Instant.parse("2025-01-01T00:00:00Z"));
        stores.seeder().apply(parse(EXAMPLE));
        User alice = stores.accounts().findUserByName("alice").orElseThrow();
        stores.accounts().credit(alice.id(), -3 * USD, "charge", "req-1", null);

        stores.seeder().apply(parse(EXAMPLE
                .replace("group: default", "group: vip")
                .replace("balance: 10.00", "balance: 99.00")
                .replace("{ name: laptop, key:", "{ name: desk, spend_limit: 2.5, expires_at: \"2026-01-01T00:00:00Z\","
                        + " models: [gpt-4o-mini], key:")
                .replace("weight: 1", "weight: 7")
                .replace("per_call: 0.01", "per_call: 0.02")
                + "groups:\n  vip: { multiplier: 0.8, description: VIP }\n"));

        User reseeded = stores.accounts().findUser(alice.id()).orElseThrow();
        assertThat(reseeded.group()).isEqualTo("vip");
        assertThat(reseeded.balanceNanos()).isEqualTo(7 * USD).isEqualTo(stores.accounts().ledgerSum(alice.id()));
        assertThat(stores.accounts().findGroup("vip")).contains(new Group("vip", 800_000, "VIP"));
        ApiKey key = stores.accounts().findKeyByHash(ApiKeys.hash(ALICE_KEY)).orElseThrow();
        assertThat(key.name()).isEqualTo("desk");
        assertThat(key.spendLimitNanos()).isEqualTo(2_500_000_000L);
        assertThat(key.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(key.allowedModels()).containsExactly("gpt-4o-mini");
        assertThat(stores.accounts().listKeys(alice.id())).hasSize(1);
        assertThat(stores.channels().list()).singleElement().extracting(Channel::weight).isEqualTo(7);
        assertThat(stores.prices().all()).containsEntry("some-model", Price.perCall("0.02"));
    }

    /** What the admin API changed, made or deleted is left alone by the next start; what the file adds is created. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void theAdminsEditsWinOverTheFileAtTheNextStart(Engine engine) {
        Database database = databases.openFresh(engine);
        Stores stores = stores(database, Instant.parse("2025-01-01T00:00:00Z"));
        String file = EXAMPLE.replace("{ name: laptop, key:", "{ name: laptop, rpm_limit: 60, key:")
                .replace("balance: 10.00", "balance: 10.00\n    daily_spend_limit: 5")
                + "groups:\n  default: { multiplier: 1 }\n";
        stores.seeder().apply(parse(file));
        User alice = stores.accounts().findUserByName("alice").orElseThrow();
        ApiKey laptop = stores.accounts().findKeyByHash(ApiKeys.hash(ALICE_KEY)).orElseThrow();
        Channel main = stores.channels().findByName("openai-main").orElseThrow();
        // the admin API's changes, as its handlers make them
        stores.channels().update(main.withStatus(Status.DISABLED, null));
        stores.edits().record(Kind.CHANNEL, "openai-main");
        stores.prices().put("gpt-4o-mini", Price.perCall("0.5"));
        stores.edits().record(Kind.PRICE, "gpt-4o-mini");
        stores.prices().delete("dall-e-3");
        stores.edits().record(Kind.PRICE, "dall-e-3");
        stores.accounts().upsertGroup(new Group("vip", 700_000, "admin's"));
        stores.edits().record(Kind.GROUP, "vip");
        stores.accounts().updateUser(alice.id(), "vip", Status.ACTIVE);
        stores.limits().putDailyCap(alice.id(), null);
        stores.edits().record(Kind.USER, alice.id());
        stores.accounts().updateKey(laptop.id(), "admin-named", Status.ACTIVE, null, 3 * USD, List.of());
        stores.limits().putKeyLimits(laptop.id(), new KeyLimits(null, null, 2));
        stores.edits().record(Kind.KEY, laptop.id());

        stores.seeder().apply(parse(file.replace("weight: 1", "weight: 9")
                .replace("per_image: 0.04", "per_image: 0.05").replace("per_call: 0.01", "per_call: 0.02")
                .replace("rpm_limit: 60", "rpm_limit: 30").replace("daily_spend_limit: 5", "daily_spend_limit: 6")
                .replace("channels:\n", """
                        channels:
                          - { name: openai-backup, base_url: "https://api.openai.com", key: sk-backup, models: [gpt-4o] }
                        """)
                + "  vip: { multiplier: 2 }\n  staff: { multiplier: 0.5 }\n"));

        assertThat(stores.channels().findByName("openai-main").orElseThrow())
                .isEqualTo(main.withStatus(Status.DISABLED, null));
        assertThat(stores.channels().findByName("openai-backup")).hasValueSatisfying(backup -> {
            assertThat(backup.status()).isEqualTo(Status.ACTIVE);
            assertThat(backup.models()).containsExactly("gpt-4o");
        });
        assertThat(stores.prices().all()).containsEntry("gpt-4o-mini", Price.perCall("0.5"))
                .doesNotContainKey("dall-e-3").containsEntry("some-model", Price.perCall("0.02"));
        assertThat(stores.accounts().findGroup("vip")).contains(new Group("vip", 700_000, "admin's"));
        assertThat(stores.accounts().findGroup("staff")).contains(new Group("staff", 500_000, null));
        assertThat(stores.accounts().findUser(alice.id()).orElseThrow().group()).isEqualTo("vip");
        assertThat(stores.limits().allDailyCaps()).doesNotContainKey(alice.id());
        ApiKey kept = stores.accounts().findKey(laptop.id()).orElseThrow();
        assertThat(kept.name()).isEqualTo("admin-named");
        assertThat(kept.spendLimitNanos()).isEqualTo(3 * USD);
        assertThat(stores.limits().allKeyLimits()).containsEntry(laptop.id(), new KeyLimits(null, null, 2));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesAKeyThatBelongsToAnotherUser(Engine engine) {
        Database database = databases.openFresh(engine);
        Seeder seeder = stores(database, Instant.parse("2025-01-01T00:00:00Z")).seeder();
        seeder.apply(parse(EXAMPLE));

        assertThatThrownBy(() -> seeder.apply(parse(EXAMPLE.replace("name: alice", "name: bob"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("users.bob.keys.laptop: this key already belongs to another user "
                        + "(expected: a key unique to one user)");
    }

    @Test
    void checksChannelTypesAgainstTheFamilies() {
        Database database = databases.openFresh(Engine.SQLITE);
        Stores stores = stores(database, Instant.parse("2025-01-01T00:00:00Z"));

        assertThatThrownBy(() -> stores.seeder().apply(parse("""
                channels: [{ name: up, type: foo, base_url: "https://x.example", key: k }]""")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channels.up.type: foo (expected: one of anthropic, flux, ideogram, kling, luma, midjourney, minimax, openai, pika, recraft, replicate, runway, runway-compat, suno, udio)");
        assertThatThrownBy(() -> stores.seeder().apply(parse("channels: [{ name: up, key: k }]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channels.up.base_url: missing (expected: the upstream's URL: channels of type openai "
                        + "have no default)");
        assertThat(stores.channels().list()).isEmpty();

        stores.seeder().apply(parse("""
                channels:
                  - { name: plain, base_url: "https://x.example", key: k }
                  - { name: pictures, type: ideogram, key: k }"""));
        assertThat(stores.channels().list()).extracting(Channel::name, Channel::type, Channel::baseUrl)
                .containsExactlyInAnyOrder(tuple("plain", "openai", "https://x.example"),
                        tuple("pictures", "ideogram", ""));
    }

    @Test
    void convertsMultipliersToPartsPerMillionRoundingHalfUp() {
        assertThat(Seeder.toPpm(new BigDecimal("1"), "m")).isEqualTo(1_000_000L);
        assertThat(Seeder.toPpm(new BigDecimal("1.5"), "m")).isEqualTo(1_500_000L);
        assertThat(Seeder.toPpm(new BigDecimal("0.8"), "m")).isEqualTo(800_000L);
        assertThat(Seeder.toPpm(new BigDecimal("0.0000005"), "m")).isEqualTo(1L);
        assertThat(Seeder.toPpm(new BigDecimal("0.0000004"), "m")).isZero();
        assertThatThrownBy(() -> Seeder.toPpm(new BigDecimal("-0.5"), "groups.vip.multiplier"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("groups.vip.multiplier: -0.5 (expected: >= 0)");
    }

    @Test
    void convertsPriceConfigToNanosKeepingAbsentComponentsNull() {
        assertThat(Seeder.toPrice(new PriceConfig(new BigDecimal("0.15"), new BigDecimal("0.60"), null, null, null,
                null, null))).isEqualTo(new Price(150_000_000L, 600_000_000L, null, null, null, null, null));
        assertThat(Seeder.toPrice(new PriceConfig(null, null, new BigDecimal("0.075"), new BigDecimal("0.1875"),
                new BigDecimal("0.04"), new BigDecimal("0"), new BigDecimal("0.0001"))))
                .isEqualTo(new Price(null, null, 75_000_000L, 187_500_000L, 40_000_000L, 0L, 100_000L));
    }

    /**
     * Instances starting together on one server store (a {@code docker compose up} of several) set it up in turns:
     * every start succeeds, each user is created and credited once, and every instance holds the same admin key
     * (generated by one of them) and server secret.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void instancesStartingTogetherOnOneStoreSetItUpInTurns(Engine engine) throws Exception {
        int instances = 4;
        int users = 30;
        StringBuilder yaml = new StringBuilder("groups:\n  pro: { multiplier: 0.8 }\nchannels:\n");
        for (int c = 0; c < 3; c++) {
            yaml.append("  - { name: ch-%d, base_url: \"https://api.openai.com\", key: sk-up-%d, models: [gpt-4o-mini] }\n"
                    .formatted(c, c));
        }
        yaml.append("prices:\n  gpt-4o-mini: { input_per_mtok: 0.15 }\nusers:\n");
        for (int u = 0; u < users; u++) {
            yaml.append("  - { name: user-%d, group: %s, balance: %d.00, keys: [{ name: k, key: sk-user-%d-0123456789ab }] }\n"
                    .formatted(u, u % 2 == 0 ? "pro" : "default", u + 1, u));
        }
        AntlerConfig config = parse(yaml.toString());
        DatabaseConfig store = databases.create(engine);
        List<Database> opened = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                opened.add(Database.open(store)); // the first migrates; the race under test is the set-up after it
            }
            CyclicBarrier together = new CyclicBarrier(instances);
            List<StoreSetUp.Done> done = new ArrayList<>();
            try (ExecutorService starts = Executors.newFixedThreadPool(instances)) {
                List<Future<StoreSetUp.Done>> started = new ArrayList<>();
                for (Database database : opened) {
                    Stores stores = stores(database, Instant.parse("2025-01-01T00:00:00Z"));
                    started.add(starts.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return StoreSetUp.run(database, stores.seeder(), stores.accounts(), stores.channels(), config);
                    }));
                }
                for (Future<StoreSetUp.Done> start : started) {
                    done.add(start.get(120, TimeUnit.SECONDS)); // a start that lost a race fails here
                }
            }

            Stores check = stores(opened.getFirst(), Instant.parse("2025-01-01T00:00:00Z"));
            Map<String, List<String>> rows = dump(opened.getFirst(), true);
            assertThat(rows.get("users")).hasSize(users);
            assertThat(rows.get("api_keys")).hasSize(users);
            assertThat(rows.get("channels")).hasSize(3);
            assertThat(rows.get("ledger")).as("one opening credit per user").hasSize(users);
            for (int u = 0; u < users; u++) {
                User user = check.accounts().findUserByName("user-" + u).orElseThrow();
                assertThat(user.balanceNanos()).isEqualTo((u + 1) * USD).isEqualTo(check.accounts().ledgerSum(user.id()));
            }
            List<String> generated = done.stream().flatMap(d -> d.adminKey().generatedPlainText().stream()).toList();
            assertThat(generated).as("one instance generated the admin key").hasSize(1);
            assertThat(done).allSatisfy(d -> {
                assertThat(d.adminKey().key().matches(generated.getFirst())).isTrue();
                assertThat(d.serverSecret().derive("test", "x")).isEqualTo(done.getFirst().serverSecret().derive("test", "x"));
            });
        } finally {
            opened.forEach(Database::close);
        }
    }

    /** Every row of every table as text, in primary-key order; without timestamps when asked. */
    private static Map<String, List<String>> dump(Database database, boolean withoutTimestamps) {
        Map<String, List<String>> dump = new LinkedHashMap<>();
        TABLES.forEach((table, key) -> dump.put(table, database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM " + table + " ORDER BY " + key)
                .map((rs, ctx) -> {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String column = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
                        if (!(withoutTimestamps && TIMESTAMPS.contains(column))) {
                            values.add(column + "=" + rs.getString(i));
                        }
                    }
                    return String.join(", ", values);
                })
                .list())));
        return dump;
    }

    private static Map<String, String> tables() {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("settings", "name");
        tables.put("user_groups", "name");
        tables.put("users", "id");
        tables.put("api_keys", "id");
        tables.put("channels", "id");
        tables.put("prices", "model");
        tables.put("ledger", "id");
        tables.put("usage_logs", "id");
        return tables;
    }
}

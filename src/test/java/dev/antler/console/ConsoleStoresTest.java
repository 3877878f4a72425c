package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Status;
import dev.antler.billing.UsageLogStore;
import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageSeries;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.UsageRollups;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The console's stores and queries on SQLite, PostgreSQL and MariaDB (V14-V16 migrate on each). */
class ConsoleStoresTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static long user(Database database, ManualClock clock, String name) {
        return new AccountStore(database, clock).createUser(name + "-" + System.nanoTime(), "default", Status.ACTIVE).id();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void sessionsEndWhenIdleOrPastTheirAbsoluteEnd(Engine engine) {
        Database database = databases.open(engine);
        ManualClock clock = ManualClock.now();
        SessionStore store = new SessionStore(database, clock, Duration.ofMinutes(10), Duration.ofMinutes(30));
        long userId = user(database, clock, "session");
        SessionStore.Started started = store.start(Role.USER, userId);
        assertThat(store.find(started.id())).hasValueSatisfying(s -> assertThat(s.userId()).isEqualTo(userId));
        clock.advanceSeconds(9 * 60);
        assertThat(store.find(started.id())).isPresent(); // touched: idle time restarts
        clock.advanceSeconds(9 * 60);
        assertThat(store.find(started.id())).isPresent();
        clock.advanceSeconds(9 * 60);
        assertThat(store.find(started.id())).isPresent();
        clock.advanceSeconds(4 * 60); // 31 minutes after sign-in
        assertThat(store.find(started.id())).isEmpty();
        SessionStore.Started idle = store.start(Role.ADMIN, null);
        clock.advanceSeconds(10 * 60);
        assertThat(store.find(idle.id())).isEmpty();
        SessionStore.Started other = store.start(Role.USER, userId);
        SessionStore.Started kept = store.start(Role.USER, userId);
        assertThat(store.endOthers(userId, kept.session().idHash())).isEqualTo(1);
        assertThat(store.find(other.id())).isEmpty();
        assertThat(store.find(kept.id())).isPresent();
        clock.advanceSeconds(60 * 60);
        assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void credentialsUpsertPasswordAndAdminMark(Engine engine) {
        Database database = databases.open(engine);
        ManualClock clock = ManualClock.now();
        CredentialStore store = new CredentialStore(database, clock);
        long a = user(database, clock, "cred-a");
        long b = user(database, clock, "cred-b");
        assertThat(store.find(a)).isEmpty();
        store.setAdmin(a, true);
        store.setPassword(a, "$argon2id$stored");
        store.setPassword(b, "$argon2id$other");
        assertThat(store.find(a)).contains(new CredentialStore.Credential(a, "$argon2id$stored", true));
        assertThat(store.adminsAmong(List.of(a, b))).isEqualTo(Set.of(a));
        store.setAdmin(a, false);
        assertThat(store.isAdmin(a)).isFalse();
    }

    private static boolean claim(Database database, RedemptionStore codes, long id, long userId, ManualClock clock) {
        return database.jdbi().inTransaction(h -> codes.claim(h, id, userId, clock.millis()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCodeIsClaimedOnceAndAnInviteIsUsedOnce(Engine engine) {
        Database database = databases.open(engine);
        ManualClock clock = ManualClock.now();
        RedemptionStore codes = new RedemptionStore(database, clock);
        long userId = user(database, clock, "claim");
        List<RedemptionStore.Created> created = codes.create(2, 1_000, clock.millis() + 60_000, "batch");
        long id = created.get(0).code().id();
        assertThat(codes.findByCode(created.get(0).plain())).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(id));
        assertThat(claim(database, codes, id, userId, clock)).isTrue();
        assertThat(claim(database, codes, id, userId, clock)).isFalse();
        assertThat(codes.find(id)).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo("redeemed");
            assertThat(c.redeemedBy()).isEqualTo(userId);
        });
        long expiring = created.get(1).code().id();
        clock.advanceSeconds(61);
        assertThat(claim(database, codes, expiring, userId, clock)).isFalse();
        assertThat(codes.disable(expiring)).isTrue();
        assertThat(codes.list("disabled", 10, 0)).extracting(RedemptionStore.Code::id).contains(expiring);

        InviteStore invites = new InviteStore(database, clock);
        InviteStore.Created invite = invites.create("default", null);
        assertThat(invites.claim(invite.token())).isPresent();
        assertThat(invites.claim(invite.token())).isEmpty();
        invites.release(invite.invite().id());
        assertThat(invites.claim(invite.token())).isPresent();
        invites.usedBy(invite.invite().id(), userId);
        assertThat(invites.list(10, 0).get(0).usedBy()).isEqualTo(userId);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void usageSeriesAndKeysetPagesAgreeOnEveryDialect(Engine engine) {
        Database database = databases.open(engine);
        ManualClock clock = ManualClock.now();
        long userId = user(database, clock, "series");
        long hour = 3_600_000;
        long start = 1_700_000_000_000L - 1_700_000_000_000L % hour;
        long[][] rows = {{start + 1_000, 200, 40, 100}, {start + 2_000, 500, 9_000, 300}, {start + hour + 5, 200, 60, 7}};
        for (long[] r : rows) {
            database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO usage_logs (request_id, created_at, user_id, key_id, "
                            + "endpoint, model, status_code, stream, prompt_tokens, completion_tokens, cached_tokens, "
                            + "cache_write_tokens, units, cost_nanos, latency_ms, end_reason, billed_basis, attempts) VALUES "
                            + "(:rid, :at, :user, 1, 'chat', 'm', :status, 0, 0, 0, 0, 0, 0, :cost, :latency, 'complete', "
                            + "'usage', 1)")
                    .bind("rid", "req-" + System.nanoTime()).bind("at", r[0]).bind("user", userId).bind("status", r[1])
                    .bind("latency", r[2]).bind("cost", r[3]).execute());
        }
        UsageRollups.rebuild(database);
        Filter filter = new Filter(userId, null, null, null, start, start + 3 * hour);
        List<UsageSeries.Series> series = new UsageSeries(database).series(filter, hour, UsageSeries.By.NONE, 1);
        assertThat(series).hasSize(1);
        List<UsageSeries.Bucket> buckets = series.get(0).buckets();
        assertThat(buckets).hasSize(3);
        assertThat(buckets.get(0)).isEqualTo(new UsageSeries.Bucket(start, 400, 2, 1, 50L, 10_000L));
        assertThat(buckets.get(1)).isEqualTo(new UsageSeries.Bucket(start + hour, 7, 1, 0, 100L, 100L));
        assertThat(buckets.get(2)).isEqualTo(new UsageSeries.Bucket(start + 2 * hour, 0, 0, 0, null, null));
        assertThat(new UsageSeries(database).series(filter, hour, UsageSeries.By.MODEL, 5).get(0).key()).isEqualTo("m");

        UsageLogStore logs = new UsageLogStore(database);
        List<UsageLogStore.Entry> first = logs.page(new Filter(userId, null, null, null, null, null), null, null, null, 2);
        assertThat(first).hasSize(2);
        List<UsageLogStore.Entry> rest = logs.page(new Filter(userId, null, null, null, null, null), null, null,
                first.get(1).cursor(), 2);
        assertThat(rest).hasSize(1);
        assertThat(rest.get(0).id()).isLessThan(first.get(1).id());
        assertThat(logs.page(new Filter(userId, null, null, null, null, null), true, null, null, 10)).hasSize(1);
    }
}

package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gateway's secret is made once per store: every start, and every instance starting at once, gets the same. */
class ServerSecretTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void instancesStartingAtOnceOnOneStoreShareOneSecret(Engine engine) throws Exception {
        Database database = databases.openFresh(engine);
        AccountStore accounts = new AccountStore(database, Clock.systemUTC());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<String>> derived = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            derived.add(threads.submit(() -> {
                go.await();
                return HexFormat.of().formatHex(ServerSecret.establish(accounts).derive("webhook", "42"));
            }));
        }
        go.countDown();
        String first = derived.get(0).get();
        for (Future<String> d : derived) {
            assertThat(d.get()).isEqualTo(first);
        }
        threads.shutdown();
        ServerSecret again = ServerSecret.establish(accounts);
        assertThat(HexFormat.of().formatHex(again.derive("webhook", "42"))).as("after a restart").isEqualTo(first);
        assertThat(again.derive("webhook", "43")).isNotEqualTo(again.derive("webhook", "42"));
        assertThat(again.derive("other", "42")).isNotEqualTo(again.derive("webhook", "42"));
        assertThat(again.toString()).doesNotContain(first.substring(0, 8));
    }
}

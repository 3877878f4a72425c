package dev.antler.midjourney;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.antler.billing.Usd;
import dev.antler.config.DatabaseConfig;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two gateway instances on one database: exactly one polls; the other takes over when the lease expires. */
class TwoInstancePollerTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "SQLITE"})
    void oneInstancePollsAndAnotherTakesOverAnExpiredLease(Engine engine) throws Exception {
        DatabaseConfig db = databases.create(engine);
        String database = "database: { url: \"" + db.url() + "\""
                + (db.username() == null ? "" : ", username: \"" + db.username() + "\"")
                + (db.password() == null ? "" : ", password: \"" + db.password() + "\"") + " }\n";
        try (FakeMidjourney upstream = new FakeMidjourney()) {
            String tasks = "{ poll_interval_ms: 600000, lease_ms: 400 }";
            GatewayHarness a = GatewayHarness.start(database + MidjourneyFlowTest.yaml(upstream, tasks));
            try (GatewayHarness b = GatewayHarness.start(database + MidjourneyFlowTest.yaml(upstream, tasks))) {
                String id = MidjourneyFlowTest.json(a.post("/mj/submit/imagine", MidjourneyFlowTest.ALICE,
                        "{\"prompt\":\"two instances\"}")).path("result").asString();
                assertTrue(a.gateway().tasks().poller().round(), "the first instance takes the lease");
                for (int i = 0; i < 3; i++) {
                    assertFalse(b.gateway().tasks().poller().round(), "the second does not poll while it is held");
                    assertTrue(a.gateway().tasks().poller().round(), "the holder renews it");
                }
                int polls = upstream.listCalls.get();
                assertEquals(4, polls, "one batch poll per round of the holder only");

                Thread.sleep(500);   // the holder stops renewing (as in a crash); the lease expires
                assertTrue(b.gateway().tasks().poller().round(), "the second takes over the expired lease");
                assertFalse(a.gateway().tasks().poller().round(), "and the first no longer polls");
                while (b.gateway().tasks().store().find(id).orElseThrow().status() != TaskStatus.SUCCESS) {
                    assertTrue(b.gateway().tasks().poller().round());
                }
                a.close();
                a = null;
                b.awaitLedger();
                StoreView store = new StoreView(b);
                assertEquals(Usd.parse("10") - Usd.parse("0.05"), store.balance("alice"));
                assertEquals(store.ledgerSum("alice"), store.balance("alice"));
            } finally {
                if (a != null) {
                    a.close();
                }
            }
        }
    }
}

package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.ClusterConfig;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Holds handed over from Redis into the store: each copy is one row (a request's key part already there gets its user
 * part), the instance's new Redis state is stamped with them, and no copy outlives its request's charge, also when
 * the request was settled or charged while the holds were being handed over.
 */
class HoldAdoptionTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final long SWEEP_AFTER_SECONDS = 61;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void copiesAreStoredBesideAKeyPartAndStampedWithTheInstancesState(Engine engine) {
        Setup s = new Setup(databases.open(engine));
        s.database.jdbi().useHandle(h -> h.execute("INSERT INTO cluster_holds (instance_id, request_id, user_id, "
                + "key_id, user_nanos, key_nanos, created_at) VALUES (?, 'r-key', 7, 70, 0, 5, 1)", s.instances.id()));

        s.adoption.begin();
        s.adoption.adopt(List.of(new HoldAdoption.Copied("r-key", 7, 70, 100, 0),
                new HoldAdoption.Copied("r-new", 7, 71, 200, 0)), HoldsPlacement.REACHES_REDIS);

        assertThat(s.rows()).containsExactlyInAnyOrder("r-key 100 5", "r-new 200 0");
        int state = s.database.jdbi().withHandle(h -> h.createQuery("SELECT redis_state FROM cluster_instances "
                + "WHERE instance_id = :id").bind("id", s.instances.id()).mapTo(Integer.class).one());
        assertThat(state).isEqualTo(HoldsPlacement.REACHES_REDIS);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCopySettledDuringTheHandOverIsSweptWhenItsChargeNeverComes(Engine engine) {
        Setup s = new Setup(databases.open(engine));

        s.adoption.begin();
        s.taken.settled("r-settled"); // settled after Redis handed it over unsettled, before the store adopted it
        s.adoption.adopt(List.of(new HoldAdoption.Copied("r-settled", 7, 70, 100, 0),
                new HoldAdoption.Copied("r-running", 7, 70, 100, 0)), HoldsPlacement.NO_REDIS);
        s.clock.advanceSeconds(SWEEP_AFTER_SECONDS);
        s.taken.sweep();

        assertThat(s.rows()).as("the settled copy swept, the running one kept").containsExactly("r-running 100 0");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCopyWhoseChargeWasWrittenDuringTheHandOverGoesWithTheNextSweep(Engine engine) {
        Setup s = new Setup(databases.open(engine));

        s.adoption.begin();
        s.taken.released(List.of("r-charged"));
        s.adoption.adopt(List.of(new HoldAdoption.Copied("r-charged", 7, 70, 100, 1)), HoldsPlacement.NO_REDIS);
        s.taken.sweep();

        assertThat(s.rows()).isEmpty();
    }

    /** One instance's adoption on the test class's database, under a name of its own. */
    private static final class Setup {
        final Database database;
        final ManualClock clock = ManualClock.now();
        final Instances instances;
        final TakenHolds taken;
        final HoldAdoption adoption;

        Setup(Database database) {
            this.database = database;
            this.instances = new Instances(database.jdbi(), clock, ClusterConfig.defaults(),
                    "adoption-" + UUID.randomUUID());
            instances.beat();
            this.taken = new TakenHolds(database.jdbi(), clock, instances.id());
            this.adoption = new HoldAdoption(database.jdbi(), database.dialect(), clock, instances, taken);
        }

        /** This instance's stored holds: request id, user part, key part. */
        List<String> rows() {
            return database.jdbi().withHandle(h -> h.createQuery("SELECT request_id, user_nanos, key_nanos "
                            + "FROM cluster_holds WHERE instance_id = :id").bind("id", instances.id())
                    .map((rs, ctx) -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3)).list());
        }
    }
}

package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.cluster.ChangeNotices.Kind;
import dev.antler.cluster.ChangeNotices.Notice;
import dev.antler.config.ClusterConfig;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances' change notices on one store and a bus the test carries by hand, the cluster thread run inline:
 * a notice crosses on the bus at once and is not applied again when the table is read; while listening the
 * table is read only every {@link ClusterNotices#SAFETY_NET_MS}, and it is what carries a notice the bus lost;
 * once the bus is lost the table is read at every tick, and at each resubscription at once; a message naming
 * a row number of another store (a gateway on another database sharing the Redis prefix) hides no row.
 */
class ClusterNoticesTest {

    private static final ClusterConfig CONFIG = new ClusterConfig(null, null, 1_000L);

    private final ManualClock clock = ManualClock.now();
    private final HandBus bus = new HandBus();
    private Database database;
    private ClusterNotices a;
    private ClusterNotices b;
    private final List<Notice> appliedOnB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path dir = Files.createTempDirectory("antler-notices-");
        database = Database.open(new DatabaseConfig("jdbc:sqlite:" + dir.resolve("antler.db"), null, null, 2));
        a = instance("a");
        b = instance("b");
        b.subscribe(appliedOnB::add);
        a.carryOver(bus);
        b.carryOver(bus);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        database.close();
    }

    private ClusterNotices instance(String id) {
        return new ClusterNotices(new StoreChangeNotices(database.jdbi(), clock, CONFIG, id), Runnable::run, clock,
                CONFIG, id);
    }

    @Test
    void aNoticeCrossesOnTheBusOnceAndTheTableCarriesWhatTheBusLost() {
        bus.listening();
        a.publish(Kind.CHANNEL, "main");
        assertThat(appliedOnB).as("over the bus, before any read of the table").containsExactly(notice("main"));

        clock.advanceSeconds(6);
        b.tick();
        assertThat(appliedOnB).as("the table's row of it is not applied again").hasSize(1);

        bus.dropping = true; // sent, and lost without the subscription closing
        a.publish(Kind.PRICE, "gpt-4o");
        clock.advanceSeconds(1);
        b.tick();
        assertThat(appliedOnB).as("not read yet: the last read was under 5 s ago").hasSize(1);
        clock.advanceSeconds(4);
        b.tick();
        assertThat(appliedOnB).as("the safety-net read").containsExactly(notice("main"),
                new Notice(Kind.PRICE, "gpt-4o"));
    }

    @Test
    void deafTheTableIsReadEveryTickAndAtOnceWhenListeningAgain() {
        bus.listening();
        bus.deaf("connection closed");
        a.publish(Kind.USER, "7"); // the bus is down for the publisher too: its send goes nowhere
        bus.lost.clear();
        clock.advanceSeconds(1);
        b.tick();
        assertThat(appliedOnB).containsExactly(new Notice(Kind.USER, "7"));

        a.publish(Kind.KEY, "9");
        bus.lost.clear(); // sent while b was not subscribed
        bus.listening();
        assertThat(appliedOnB).as("read from the table as b subscribed again")
                .containsExactly(new Notice(Kind.USER, "7"), new Notice(Kind.KEY, "9"));
    }

    @Test
    void aMessageOfAGatewayOnAnotherStoreHidesNoRowOfThisOne() {
        bus.listening();
        bus.receivers.get(1).message("1 stranger price gpt-4o"); // same prefix, other store: its row 1 is not ours
        bus.dropping = true;
        a.publish(Kind.CHANNEL, "main"); // row 1 here, its message lost
        clock.advanceSeconds(5);
        b.tick();
        assertThat(appliedOnB).containsExactly(new Notice(Kind.PRICE, "gpt-4o"), notice("main"));
    }

    private static Notice notice(String channel) {
        return new Notice(Kind.CHANNEL, channel);
    }
}

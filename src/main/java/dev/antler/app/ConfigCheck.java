package dev.antler.app;

import dev.antler.accounts.AccountStore;
import dev.antler.admin.AdminEdits;
import dev.antler.cluster.ChangeNotices;
import dev.antler.billing.PriceStore;
import dev.antler.config.AntlerConfig;
import dev.antler.config.DatabaseConfig;
import dev.antler.family.Families;
import dev.antler.limits.LimitStore;
import dev.antler.routing.ChannelStore;
import dev.antler.store.Database;
import dev.antler.store.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code antler config check FILE}: every check a start makes on the config, without starting. The file has
 * been read and bound (unknown keys, types, ranges, {@code ${ENV}} references) by the loader; here the
 * database URL's kind is checked, and the channels, prices, groups and users are applied to a scratch SQLite
 * store the same way a start applies them (channel types, base URLs, keys), then thrown away. The configured
 * database is not contacted and no port is opened.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    /** Throws {@link StartFailure} (kind CONFIG) naming the first problem found. */
    public static void check(AntlerConfig config) {
        try {
            Dialect.of(config.database().url());
        } catch (IllegalArgumentException e) {
            throw StartFailure.config(e.getMessage());
        }
        Path scratch = scratchDirectory();
        try (Database database = Database.open(new DatabaseConfig("jdbc:sqlite:" + scratch.resolve("check.db"),
                null, null, 1))) {
            Clock clock = Clock.systemUTC();
            new Seeder(new AccountStore(database, clock), new ChannelStore(database, clock),
                    new PriceStore(database, clock), new LimitStore(database, clock), new AdminEdits(database, clock, ChangeNotices.none()),
                    Families.builtIn()).apply(config);
        } catch (IllegalArgumentException e) {
            throw StartFailure.config(e.getMessage());
        } finally {
            delete(scratch);
        }
    }

    private static Path scratchDirectory() {
        try {
            return Files.createTempDirectory("antler-config-check");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a scratch directory left in the temporary directory
        }
    }
}

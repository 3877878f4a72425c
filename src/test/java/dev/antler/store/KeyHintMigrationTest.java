package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.DatabaseConfig;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hints stored by older versions (first 6 and last 4 characters) are cut to the hint budget. */
class KeyHintMigrationTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void storedHintsKeepAtMostTheirLastThreeCharacters(Engine engine) {
        DatabaseConfig config = databases.create(engine);
        Flyway previous = Flyway.configure().dataSource(config.url(), config.username(), config.password())
                .locations(engine.dialect().migrationLocation()).target("6").load();
        previous.migrate();
        Jdbi.create(previous.getConfiguration().getDataSource()).useHandle(h -> {
            h.execute("INSERT INTO users (name, group_name, status, balance_nanos, created_at) "
                    + "VALUES ('hinted', 'default', 'active', 0, 0)");
            long user = h.createQuery("SELECT id FROM users WHERE name = 'hinted'").mapTo(Long.class).one();
            int n = 0;
            for (String hint : List.of("sk-ali…cdef", "mjsecr…0123", "abc…", "sk…")) {
                h.execute("INSERT INTO api_keys (user_id, name, key_hash, key_hint, status, created_at) "
                        + "VALUES (?, ?, ?, ?, 'active', 0)", user, "k" + n, "%064d".formatted(n++), hint);
            }
        });
        try (Database migrated = Database.open(config)) {
            List<String> hints = migrated.jdbi().withHandle(h -> h.createQuery(
                    "SELECT key_hint FROM api_keys ORDER BY id").mapTo(String.class).list());
            assertThat(hints).containsExactly("…def", "…123", "…", "…");
        }
    }
}

package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.config.DatabaseConfig;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** V21 re-keys the per-user hourly roll-up by hour first and keeps every cell as it was. */
class UserHourlyRekeyMigrationTest {

    private static final String SELECT_ALL = "SELECT user_id, hour_start, model, channel_id, requests, errors, "
            + "prompt_tokens, completion_tokens, cached_tokens, cost_nanos, lat_00, lat_19 FROM usage_user_hourly "
            + "ORDER BY user_id, hour_start, model, channel_id";

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void cellsSurviveTheNewKey(Engine engine) throws SQLException {
        DatabaseConfig config = databases.create(engine);
        Flyway previous = Flyway.configure().dataSource(config.url(), config.username(), config.password())
                .locations(engine.dialect().migrationLocation()).target("20").load();
        previous.migrate();
        List<Map<String, Object>> before = Jdbi.create(previous.getConfiguration().getDataSource()).withHandle(h -> {
            // Written in user order, as V18's backfill wrote them; hours and users interleave.
            for (long user = 1; user <= 3; user++) {
                for (long hour = 0; hour < 3; hour++) {
                    h.execute("INSERT INTO usage_user_hourly (user_id, hour_start, model, channel_id, requests, errors,"
                                    + " prompt_tokens, completion_tokens, cached_tokens, cost_nanos, lat_00, lat_19)"
                                    + " VALUES (?, ?, ?, ?, ?, 1, 10, 20, 3, ?, 1, 0)", user, hour * 3_600_000, "m" + hour,
                            user % 2, user + hour, 1_000_000_007L * user + hour);
                }
            }
            return all(h);
        });
        assertThat(before).hasSize(9);
        try (Database migrated = Database.open(config)) {
            migrated.jdbi().useHandle(h -> {
                assertThat(primaryKey(h)).containsExactly("hour_start", "user_id", "model", "channel_id");
                assertThat(all(h)).isEqualTo(before);
                assertThatThrownBy(() -> h.execute("INSERT INTO usage_user_hourly (user_id, hour_start, model, "
                        + "channel_id) VALUES (2, 3600000, 'm1', 0)")).as("the cell's key is still unique").isNotNull();
            });
        }
    }

    /** The primary key's columns, in the key's order. */
    private static List<String> primaryKey(Handle h) throws SQLException {
        Map<Integer, String> columns = new TreeMap<>();
        try (ResultSet key = h.getConnection().getMetaData().getPrimaryKeys(null, null, "usage_user_hourly")) {
            while (key.next()) {
                columns.put(key.getInt("KEY_SEQ"), key.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(columns.values());
    }

    private static List<Map<String, Object>> all(Handle h) {
        return h.createQuery(SELECT_ALL).mapToMap().list().stream()
                .map(row -> {
                    Map<String, Object> numbers = new TreeMap<>();
                    row.forEach((column, value) -> numbers.put(column.toLowerCase(Locale.ROOT),
                            value instanceof Number n ? n.longValue() : value));
                    return numbers;
                })
                .toList();
    }
}

package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Prices set by the operator (config file or admin API). Blocking: call off the event loop. */
public final class PriceStore {

    private static final String COLUMNS = "model, input_nanos_per_mtok, output_nanos_per_mtok, "
            + "cached_input_nanos_per_mtok, cache_write_nanos_per_mtok, per_image_nanos, per_call_nanos, per_second_nanos";

    private final Jdbi jdbi;
    private final Clock clock;

    public PriceStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    public Map<String, Price> all() {
        return jdbi.withHandle(h -> {
            Map<String, Price> prices = new LinkedHashMap<>();
            h.createQuery("SELECT " + COLUMNS + " FROM prices ORDER BY model")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), price(rs)))
                    .forEach(e -> prices.put(e.getKey(), e.getValue()));
            return prices;
        });
    }

    public void put(String model, Price p) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("model", model);
        values.put("input", p.inputPerMtok());
        values.put("output", p.outputPerMtok());
        values.put("cached", p.cachedInputPerMtok());
        values.put("write", p.cacheWritePerMtok());
        values.put("image", p.perImage());
        values.put("call", p.perCall());
        values.put("second", p.perSecond());
        values.put("now", clock.millis());
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE prices SET input_nanos_per_mtok = :input, "
                            + "output_nanos_per_mtok = :output, cached_input_nanos_per_mtok = :cached, "
                            + "cache_write_nanos_per_mtok = :write, per_image_nanos = :image, per_call_nanos = :call, "
                            + "per_second_nanos = :second, updated_at = :now WHERE model = :model")
                    .bindMap(values).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO prices (" + COLUMNS + ", updated_at) VALUES (:model, :input, :output, "
                        + ":cached, :write, :image, :call, :second, :now)").bindMap(values).execute();
            }
        });
    }

    public boolean delete(String model) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM prices WHERE model = :model")
                .bind("model", model).execute()) > 0;
    }

    private static Price price(ResultSet rs) throws SQLException {
        return new Price(n(rs, 2), n(rs, 3), n(rs, 4), n(rs, 5), n(rs, 6), n(rs, 7), n(rs, 8));
    }

    private static Long n(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

}

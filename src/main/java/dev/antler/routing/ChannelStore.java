package dev.antler.routing;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import dev.antler.json.Json;
import dev.antler.store.Database;
import dev.antler.store.Lists;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.core.type.TypeReference;

/** Channels in the store. Blocking: call off the event loop. */
public final class ChannelStore {

    private static final String COLUMNS = "id, name, type, base_url, api_key, models, model_mapping, priority, "
            + "weight, group_names, status, status_reason, connect_timeout_ms, idle_timeout_ms, total_timeout_ms";
    private static final TypeReference<LinkedHashMap<String, String>> MAPPING = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final Clock clock;

    public ChannelStore(Database database, Clock clock) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
    }

    public List<Channel> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM channels ORDER BY id")
                .map((rs, ctx) -> channel(rs)).list());
    }

    public Optional<Channel> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> channel(rs)).findOne());
    }

    public Optional<Channel> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM channels WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> channel(rs)).findOne());
    }

    /** Inserts the channel, or updates the one with the same name; returns the stored channel. */
    public Channel upsert(Channel c) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE channels SET type = :type, base_url = :url, api_key = :key, "
                            + "models = :models, model_mapping = :mapping, priority = :priority, weight = :weight, "
                            + "group_names = :groups, status = :status, status_reason = :reason, "
                            + "connect_timeout_ms = :connect, idle_timeout_ms = :idle, total_timeout_ms = :total, "
                            + "updated_at = :now WHERE name = :name")
                    .bindMap(bindings(c, now)).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO channels (name, type, base_url, api_key, models, model_mapping, priority, "
                                + "weight, group_names, status, status_reason, connect_timeout_ms, idle_timeout_ms, "
                                + "total_timeout_ms, created_at, updated_at) VALUES (:name, :type, :url, :key, :models, "
                                + ":mapping, :priority, :weight, :groups, :status, :reason, :connect, :idle, :total, "
                                + ":now, :now)")
                        .bindMap(bindings(c, now)).execute();
            }
        });
        return findByName(c.name()).orElseThrow();
    }

    /** Updates the channel with {@code c.id()}, renaming it if the name changed. */
    public Channel update(Channel c) {
        Map<String, Object> bindings = bindings(c, clock.millis());
        bindings.put("id", c.id());
        jdbi.useHandle(h -> h.createUpdate("UPDATE channels SET name = :name, type = :type, base_url = :url, "
                        + "api_key = :key, models = :models, model_mapping = :mapping, priority = :priority, "
                        + "weight = :weight, group_names = :groups, status = :status, status_reason = :reason, "
                        + "connect_timeout_ms = :connect, idle_timeout_ms = :idle, total_timeout_ms = :total, "
                        + "updated_at = :now WHERE id = :id")
                .bindMap(bindings).execute());
        return find(c.id()).orElseThrow();
    }

    /** Sets only the status and its reason, leaving other fields as they are; false if no such channel. */
    public boolean setStatus(long id, Status status, String reason) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE channels SET status = :status, status_reason = :reason, "
                        + "updated_at = :now WHERE id = :id")
                .bind("status", status.dbValue()).bind("reason", reason).bind("now", clock.millis()).bind("id", id)
                .execute()) > 0;
    }

    public boolean delete(long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM channels WHERE id = :id").bind("id", id).execute()) > 0;
    }

    private static Map<String, Object> bindings(Channel c, long now) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", c.name());
        values.put("type", c.type());
        values.put("url", c.baseUrl());
        values.put("key", c.apiKey());
        values.put("models", Lists.join(c.models()));
        values.put("mapping", Json.MAPPER.writeValueAsString(c.modelMapping()));
        values.put("priority", c.priority());
        values.put("weight", c.weight());
        values.put("groups", Lists.join(c.groups()));
        values.put("status", c.status().dbValue());
        values.put("reason", c.statusReason());
        values.put("connect", c.timeouts().connectMs());
        values.put("idle", c.timeouts().idleMs());
        values.put("total", c.timeouts().totalMs());
        values.put("now", now);
        return values;
    }

    private static Channel channel(ResultSet rs) throws SQLException {
        Map<String, String> mapping = Json.MAPPER.readValue(rs.getString(7), MAPPING);
        return new Channel(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Lists.split(rs.getString(6)), Map.copyOf(mapping), rs.getInt(8), rs.getInt(9),
                Lists.split(rs.getString(10)), Status.of(rs.getString(11)), rs.getString(12),
                new ChannelTimeouts(nullableLong(rs, 13), nullableLong(rs, 14), nullableLong(rs, 15)));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}

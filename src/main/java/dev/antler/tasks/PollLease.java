package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.store.Database;
import java.time.Clock;

/**
 * A lease row in the database: with several gateway instances on one database, only the holder polls.
 * The holder renews it on each round; when it stops renewing (a crash), another instance takes it over
 * once it has expired. Taking and renewing are one conditional UPDATE, so two instances cannot both win.
 */
public final class PollLease {

    private final Database database;
    private final String name;
    private final String holder;
    private final long ttlMs;
    private final Clock clock;

    public PollLease(Database database, String name, String holder, long ttlMs, Clock clock) {
        this.database = requireNonNull(database, "database");
        this.name = requireNonNull(name, "name");
        this.holder = requireNonNull(holder, "holder");
        this.ttlMs = ttlMs;
        this.clock = requireNonNull(clock, "clock");
    }

    /** Takes or renews the lease; true if this instance holds it now. */
    public boolean tryHold() {
        long now = clock.millis();
        return database.jdbi().withHandle(h -> {
            int updated = h.createUpdate("UPDATE task_leases SET holder = :me, expires_at = :expires "
                            + "WHERE name = :name AND (holder = :me OR expires_at < :now)")
                    .bind("me", holder).bind("expires", now + ttlMs).bind("name", name).bind("now", now).execute();
            if (updated == 1) {
                return true;
            }
            boolean exists = h.createQuery("SELECT COUNT(*) FROM task_leases WHERE name = :name")
                    .bind("name", name).mapTo(Integer.class).one() > 0;
            if (exists) {
                return false;
            }
            try {
                return h.createUpdate("INSERT INTO task_leases (name, holder, expires_at) VALUES (:name, :me, :expires)")
                        .bind("name", name).bind("me", holder).bind("expires", now + ttlMs).execute() == 1;
            } catch (RuntimeException duplicate) {
                return false; // another instance inserted it first
            }
        });
    }

    /** Gives the lease up (graceful stop), so another instance need not wait for it to expire. */
    public void release() {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE task_leases SET expires_at = 0 "
                + "WHERE name = :name AND holder = :me").bind("name", name).bind("me", holder).execute());
    }

    public String holder() {
        return holder;
    }
}

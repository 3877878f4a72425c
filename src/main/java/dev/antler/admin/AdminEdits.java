package dev.antler.admin;

import static java.util.Objects.requireNonNull;

import dev.antler.cluster.ChangeNotices;
import dev.antler.store.Database;
import java.time.Clock;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * What the admin API made, changed or deleted among the things the config file seeds. The config file
 * seeds; the admin's edits win: re-applying the file at start leaves a recorded row alone, and does not
 * bring back one the admin deleted. Each edit is also published as a change notice, so that every instance
 * sharing the store re-reads it. Blocking: call off the event loop.
 */
public final class AdminEdits {

    /** What was edited; channels, groups and prices are named by name, users and keys by id. */
    public enum Kind {
        CHANNEL, GROUP, PRICE, USER, KEY;

        String dbValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        ChangeNotices.Kind notice() {
            return ChangeNotices.Kind.valueOf(name());
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final ChangeNotices notices;

    public AdminEdits(Database database, Clock clock, ChangeNotices notices) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.clock = requireNonNull(clock, "clock");
        this.notices = requireNonNull(notices, "notices");
    }

    /** Records an edit of a seeded thing, and tells the other instances to re-read it. */
    public void record(Kind kind, String name) {
        try {
            upsert(kind, name);
        } catch (UnableToExecuteStatementException e) {
            upsert(kind, name); // another admin call recorded the same row between the update and the insert
        }
        notices.publish(kind.notice(), name);
    }

    /** Where edits are announced to the other instances sharing the store. */
    public ChangeNotices notices() {
        return notices;
    }

    /** Tells the other instances to re-read a thing the admin changed without editing what the config seeds. */
    public void changed(Kind kind, long id) {
        notices.publish(kind.notice(), Long.toString(id));
    }

    public void record(Kind kind, long id) {
        record(kind, Long.toString(id));
    }

    public boolean edited(Kind kind, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM admin_edits WHERE kind = :kind AND name = :name")
                .bind("kind", kind.dbValue()).bind("name", name).mapTo(Long.class).one()) > 0;
    }

    public boolean edited(Kind kind, long id) {
        return edited(kind, Long.toString(id));
    }

    private void upsert(Kind kind, String name) {
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE admin_edits SET edited_at = :now WHERE kind = :kind AND name = :name")
                    .bind("kind", kind.dbValue()).bind("name", name).bind("now", clock.millis()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO admin_edits (kind, name, edited_at) VALUES (:kind, :name, :now)")
                        .bind("kind", kind.dbValue()).bind("name", name).bind("now", clock.millis()).execute();
            }
        });
    }
}

package dev.antler.app;

import java.net.BindException;
import java.sql.SQLException;

/**
 * A start that cannot go on for a reason the operator can fix: the command line prints {@link #getMessage()}
 * as one line (the problem and the fix, no stack trace) and exits with {@link Kind#exitCode()}.
 */
public final class StartFailure extends RuntimeException {

    /** Each problem has its own exit code, so a supervisor or script can tell them apart. */
    public enum Kind {
        /** The config file or a setting in it (also an {@code ANTLER_...} variable) is wrong. */
        CONFIG(3),
        /** The server port cannot be listened on (taken by another process, or not allowed). */
        PORT(4),
        /** The database cannot be reached or refuses the credentials. */
        DATABASE(5),
        /** The database answers, but its schema could not be migrated to this build's version. */
        MIGRATION(6);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** A migration as Flyway's messages name it: its file ({@code V12__x.sql}) or {@code to version "12 - x"}. */
    private static final java.util.regex.Pattern MIGRATION_NAME =
            java.util.regex.Pattern.compile("(V\\d+__[\\w.-]+)|to version \"([^\"]+)\"");

    private final Kind kind;

    private StartFailure(Kind kind, String message, Throwable cause) {
        super(message.replaceAll("\\s*\\R\\s*", " "), cause);  // one line, whatever the cause's message held
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static StartFailure config(String problem) {
        return new StartFailure(Kind.CONFIG, problem + " (fix: correct the config file or the ANTLER_ variable, "
                + "then start again; ./antler config check FILE checks a file without starting)", null);
    }

    public static StartFailure port(String host, int port, Throwable cause) {
        String problem = hasCause(cause, BindException.class) || String.valueOf(cause.getMessage()).contains("in use")
                ? "port " + port + " on " + host + " is in use by another process"
                : "cannot listen on " + host + ":" + port + " (" + rootMessage(cause) + ")";
        return new StartFailure(Kind.PORT, problem + " (fix: stop that process, or choose another port with "
                + "server.port in the config or ANTLER_SERVER_PORT)", cause);
    }

    public static StartFailure database(String url, Throwable cause) {
        return new StartFailure(Kind.DATABASE, "database " + withoutParameters(url) + " is unreachable: "
                + rootMessage(cause) + " (fix: start the database, or correct database.url, username and password "
                + "in the config or ANTLER_DATABASE_URL / _USERNAME / _PASSWORD)", cause);
    }

    /** Another instance held the store's set-up lock ({@link StoreSetUp}) all the time this start waited. */
    public static StartFailure storeBusy(String url, RuntimeException cause) {
        return new StartFailure(Kind.DATABASE, "database " + withoutParameters(url) + ": " + cause.getMessage()
                + " (fix: a start's set-up takes under a second: find the instance stuck starting on this store, stop"
                + " it, then start again)", cause);
    }

    /**
     * A schema migration failed (the store's schema is not what the migration expects, say a table of that name
     * already exists, or the store has migrations this build does not know): names the migration and the
     * database's own message.
     */
    public static StartFailure migration(String url, Throwable cause) {
        String which = "the schema migration";
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            java.util.regex.Matcher named = MIGRATION_NAME.matcher(String.valueOf(t.getMessage()));
            if (named.find()) {
                which = "migration " + (named.group(1) != null ? named.group(1) : "to version " + named.group(2));
                break;
            }
        }
        return new StartFailure(Kind.MIGRATION, "database " + withoutParameters(url) + ": " + which + " failed: "
                + firstLine(rootMessage(cause)) + " (fix: a transactional store (SQLite, PostgreSQL) is left as it was:"
                + " correct what the message names, or restore a backup, then start again; on MySQL/MariaDB also undo"
                + " what the migration applied and delete its failed row in flyway_schema_history)", cause);
    }

    /** The store was migrated by a newer Antler: this older build refuses to write to it. */
    public static StartFailure schemaNewerThanBuild(String url, RuntimeException cause) {
        return new StartFailure(Kind.MIGRATION, "database " + withoutParameters(url) + ": " + cause.getMessage()
                + "; an older build would not keep the tables newer versions added (fix: run the newer Antler; every "
                + "instance sharing a store runs the same version — stop the old ones before the new one migrates)",
                cause);
    }

    /** Whether {@code e} is a schema migration's failure (Flyway's), rather than the store being unreachable. */
    static boolean isMigrationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("org.flywaydb.")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        String line = message.strip().lines().findFirst().orElse(message);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** The SQLite file's directory cannot be made or written. */
    public static StartFailure databaseDirectory(String problem, Throwable cause) {
        return new StartFailure(Kind.DATABASE, problem + " (fix: make it writable by this user, or point "
                + "database.url elsewhere)", cause);
    }

    /** Whether {@code e} is the store failing to connect (rather than, say, a failed migration). */
    static boolean isConnectionFailure(Throwable e) {
        return e.getClass().getName().endsWith("PoolInitializationException") || hasCause(e, SQLException.class);
    }

    /** The URL without its query, which may carry a password. */
    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

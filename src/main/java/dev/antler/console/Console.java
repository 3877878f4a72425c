package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.config.ConsoleConfig;
import dev.antler.store.Database;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/**
 * The console's server side: its settings, sessions, users' sign-in credentials, redemption codes, invites, the
 * admin audit log, and who may call what.
 */
public final class Console {

    /** How often sessions past their end are deleted. */
    private static final long PURGE_EVERY_MS = 10 * 60_000;

    private final ConsoleConfig config;
    private final SessionStore sessions;
    private final SessionAdmission admission;
    private final Peer peer;
    private final CredentialStore credentials;
    private final RedemptionStore redemptions;
    private final InviteStore invites;
    private final AuditLog audit;

    private Console(ConsoleConfig config, SessionStore sessions, SessionAdmission admission, Peer peer,
                    CredentialStore credentials, RedemptionStore redemptions, InviteStore invites, AuditLog audit) {
        this.credentials = credentials;
        this.redemptions = redemptions;
        this.invites = invites;
        this.audit = audit;
        this.config = config;
        this.sessions = sessions;
        this.admission = admission;
        this.peer = peer;
    }

    public static Console start(ConsoleConfig config, Database database, Vertx vertx, Clock clock) {
        requireNonNull(config, "config");
        SessionStore sessions = new SessionStore(database, clock, Duration.ofMinutes(config.sessionIdleMinutes()),
                Duration.ofMinutes(config.sessionAbsoluteMinutes()));
        vertx.setPeriodic(PURGE_EVERY_MS, id -> vertx.executeBlocking(sessions::purgeExpired, false));
        return new Console(config, sessions, new SessionAdmission(vertx, sessions), new Peer(config.trustedProxies()),
                new CredentialStore(database, clock), new RedemptionStore(database, clock),
                new InviteStore(database, clock), new AuditLog(database, clock));
    }

    public ConsoleConfig config() {
        return config;
    }

    public SessionStore sessions() {
        return sessions;
    }

    /** Admits a request by its session cookie (and CSRF token on state changes). */
    public SessionAdmission admission() {
        return admission;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public RedemptionStore redemptions() {
        return redemptions;
    }

    public InviteStore invites() {
        return invites;
    }

    public AuditLog audit() {
        return audit;
    }

    public Peer peer() {
        return peer;
    }
}

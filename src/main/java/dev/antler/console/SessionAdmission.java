package dev.antler.console;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Admits a request by its session cookie. A state-changing request (POST, PUT, PATCH, DELETE) must also carry
 * {@code X-CSRF-Token} equal to the session's token: a cookie alone never changes anything.
 */
public final class SessionAdmission implements Admission {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Vertx vertx;
    private final SessionStore store;

    public SessionAdmission(Vertx vertx, SessionStore store) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.store = requireNonNull(store, "store");
    }

    @Override
    public Future<Caller> admit(Exchange exchange) {
        return session(exchange).map(session -> session.caller());
    }

    /** The request's live session, CSRF-checked when the method changes state. */
    public Future<Session> session(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        String id = SessionCookie.read(request);
        if (id == null) {
            return Future.failedFuture(notSignedIn());
        }
        return vertx.executeBlocking(() -> store.find(id), false).map(found -> {
            Session session = found.orElseThrow(SessionAdmission::notSignedIn);
            if (!SAFE.contains(request.method()) && !csrfMatches(request.getHeader(CSRF_HEADER), session.csrfToken())) {
                throw new GatewayException(403, ErrorKind.PERMISSION, "csrf", CSRF_HEADER + ": "
                        + (request.getHeader(CSRF_HEADER) == null ? "missing" : "not this session's token")
                        + " (expected: the csrf_token of POST or GET /api/session on every POST, PUT, PATCH and DELETE)");
            }
            return session;
        });
    }

    static boolean csrfMatches(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    public static GatewayException notSignedIn() {
        return new GatewayException(401, ErrorKind.AUTHENTICATION, "not_signed_in",
                "session: none (expected: a console session cookie from POST /api/session, or a Bearer key)");
    }

    public static GatewayException adminOnly() {
        return GatewayException.forbidden("admin_only",
                "session: a user's (expected: the admin key, or a session of a user marked admin)");
    }
}

package dev.antler.console.api;

import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminDispatcher;
import dev.antler.admin.AdminJson;
import dev.antler.admin.ApiErrorFormat;
import dev.antler.admin.Fields;
import dev.antler.console.Console;
import dev.antler.console.Session;
import dev.antler.console.SessionCookie;
import dev.antler.console.SessionStore;
import dev.antler.http.Exchange;
import dev.antler.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/session}: sign in (POST, with the admin key or a username and password), who am I (GET), sign out
 * (DELETE). Every sign-in starts a new session with a new id, and ends the one the browser brought: an id planted
 * in a browser before sign-in is never the one that is signed in (no session fixation).
 */
final class SessionApi {

    static final String PATH = "/api/session";

    private final AdminContext context;
    private final Console console;
    private final SignIn signIn;

    SessionApi(AdminContext context, SignIn signIn) {
        this.context = context;
        this.console = context.console();
        this.signIn = signIn;
    }

    void register(Routes routes) {
        routes.add(HttpMethod.POST, PATH, ApiErrorFormat.CONSOLE, this::signIn)
                .add(HttpMethod.GET, PATH, ApiErrorFormat.CONSOLE, this::current)
                .add(HttpMethod.DELETE, PATH, ApiErrorFormat.CONSOLE, this::signOut);
    }

    private void signIn(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        String previous = SessionCookie.read(request);
        AdminDispatcher.readBody(request)
                .map(body -> Fields.of(AdminDispatcher.parse(body), SignIn.FIELDS))
                .compose(fields -> signIn.check(fields, console.peer().address(request)))
                .compose(who -> blocking(() -> {
                    console.sessions().end(previous);
                    return console.sessions().start(who.role(), who.userId());
                }))
                .compose(started -> view(started.session()).map(view -> {
                    request.response().putHeader("Set-Cookie", SessionCookie.set(started.id(),
                            console.peer().secure(request), console.sessions().absoluteSeconds()));
                    return view;
                }))
                .onSuccess(view -> answer(exchange, 200, view))
                .onFailure(exchange::fail);
    }

    private void current(Exchange exchange) {
        console.admission().session(exchange)
                .compose(this::view)
                .onSuccess(view -> answer(exchange, 200, view))
                .onFailure(exchange::fail);
    }

    private void signOut(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        console.admission().session(exchange)
                .compose(session -> blocking(() -> {
                    console.sessions().endByHash(session.idHash());
                    return session;
                }))
                .onSuccess(session -> request.response().setStatusCode(204)
                        .putHeader("Set-Cookie", SessionCookie.clear(console.peer().secure(request))).end())
                .onFailure(exchange::fail);
    }

    /** {@code {"role","user","csrf_token","expires_at"}}: what a page needs to know about its sign-in. */
    private Future<ObjectNode> view(Session session) {
        SessionStore store = console.sessions();
        return blocking(() -> {
            ObjectNode view = AdminJson.object();
            view.put("role", session.role().dbValue());
            if (session.userId() == null) {
                view.putNull("user");
            } else {
                view.set("user", signIn.userView(session.userId()));
            }
            view.put("csrf_token", session.csrfToken());
            view.put("expires_at", AdminJson.iso(store.absoluteEnd(session)));
            return view;
        });
    }

    private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return context.vertx().executeBlocking(work, false);
    }

    private static void answer(Exchange exchange, int status, ObjectNode body) {
        exchange.response().putHeader("Cache-Control", "no-store");
        exchange.json(status, Buffer.buffer(AdminJson.bytes(body)));
    }

}

package dev.antler.admin;

import dev.antler.console.Admission;
import dev.antler.console.AuditLog;
import dev.antler.console.Caller;
import dev.antler.console.SessionAdmission;
import dev.antler.console.SessionCookie;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON API request's body, admits and routes it, and answers with the handler's reply. The admin API
 * and the console's self-service API ({@code /api/user/}) are each one dispatcher: their own routes, prefix and
 * admission (who may call them).
 */
public final class AdminDispatcher {

    static final String PREFIX = "/api/admin/";
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final AdminContext context;
    private final AdminRoutes routes;
    private final String prefix;
    private final Admission admission;
    private final String guide;
    private final AuditLog audit;

    /**
     * @param prefix    the path the routes are relative to, ending in a slash
     * @param admission who may call; runs after the body is read, before routing
     * @param guide     the document that lists the endpoints, for 404 messages
     * @param audit     where state-changing calls are recorded, or null for none
     */
    public AdminDispatcher(AdminContext context, AdminRoutes routes, String prefix, Admission admission, String guide,
                           AuditLog audit) {
        this.audit = audit;
        this.context = context;
        this.routes = routes;
        this.prefix = prefix;
        this.admission = admission;
        this.guide = guide;
    }

    /**
     * Reads the (small, bounded) body before anything else, so that no answer is sent while the
     * request is still arriving and the connection can stay open whatever the answer.
     */
    public void handle(Exchange exchange) {
        readBody(exchange.request())
                .compose(body -> admission.admit(exchange).compose(caller -> dispatch(exchange, caller, body)))
                .onSuccess(reply -> exchange.json(reply.status(), Buffer.buffer(AdminJson.bytes(reply.body()))))
                .onFailure(exchange::fail);
    }

    /**
     * Writes an audit row for a state-changing admin call that reached its handler, whatever its outcome, before
     * the answer leaves: a client that saw the answer finds the row.
     */
    private Future<Reply> audited(Exchange exchange, Caller caller, AdminRoutes.Match.Found found, Future<Reply> reply) {
        HttpMethod method = exchange.request().method();
        if (audit == null || method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return reply;
        }
        String action = method.name() + " " + found.pattern();
        String target = found.params().isEmpty() ? null : String.join("/", found.params().values());
        return reply.transform(outcome -> {
            int status = outcome.succeeded() ? outcome.result().status()
                    : outcome.cause() instanceof GatewayException e ? e.status() : 500;
            return context.vertx().executeBlocking(() -> {
                        audit.record(caller.who(), action, target, status, exchange.requestId());
                        return null;
                    }, false)
                    .transform(written -> outcome.succeeded() ? Future.succeededFuture(outcome.result())
                            : Future.failedFuture(outcome.cause()));
        });
    }

    private Future<Reply> dispatch(Exchange exchange, Caller caller, Buffer body) {
        HttpServerRequest request = exchange.request();
        AdminRoutes.Match match = routes.match(request.method(), request.path().substring(prefix.length()));
        return switch (match) {
            case AdminRoutes.Match.NotFound notFound -> throw GatewayException.notFound("not_found",
                    "path: " + request.path() + " (expected: an endpoint listed in " + guide + ")");
            case AdminRoutes.Match.WrongMethod wrong -> throw new GatewayException(405, ErrorKind.INVALID_REQUEST,
                    "method_not_allowed", "method: " + request.method() + " " + request.path()
                    + " (expected: one of " + wrong.allowed() + ")");
            case AdminRoutes.Match.Found found -> audited(exchange, caller, found, call(exchange, caller, found, body));
        };
    }

    /** Runs the handler; a failure thrown while it reads its input becomes a failed future, so it is audited too. */
    private Future<Reply> call(Exchange exchange, Caller caller, AdminRoutes.Match.Found found, Buffer body) {
        try {
            return found.handler().handle(new AdminCall(context, exchange, caller, found.params(), parse(body)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The admin API's admission: the admin key as a Bearer (or bare, or x-api-key) key, else a console session
     * with the admin role. A key that is presented and wrong is refused even when a session cookie is present.
     */
    static Admission adminOnly(AdminContext context, Admission sessions) {
        return exchange -> {
            HttpServerRequest request = exchange.request();
            String presented = ClientKey.of(request);
            if (presented == null || presented.isEmpty()) {
                if (SessionCookie.read(request) != null) {
                    return sessions.admit(exchange).map(caller -> {
                        if (!caller.admin()) {
                            throw SessionAdmission.adminOnly();
                        }
                        return caller;
                    });
                }
                request.response().putHeader("WWW-Authenticate", "Bearer");
                throw GatewayException.unauthorized("admin key: missing (expected: Authorization: Bearer <admin key>, "
                        + "Authorization: <admin key>, x-api-key: <admin key> or an admin console session)");
            }
            if (!context.adminKey().matches(presented)) {
                request.response().putHeader("WWW-Authenticate", "Bearer");
                throw GatewayException.unauthorized("admin key: invalid (expected: the admin key of this gateway)");
            }
            return Future.succeededFuture(Caller.ADMIN_KEY);
        };
    }

    /** The request's body, at most {@value #MAX_BODY_BYTES} bytes. */
    public static Future<Buffer> readBody(HttpServerRequest request) {
        if (request.isEnded()) {
            return request.body();
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > MAX_BODY_BYTES) {
                request.pause();
                promise.tryFail(GatewayException.tooLarge("request body: larger than " + MAX_BODY_BYTES
                        + " bytes (expected: <= " + MAX_BODY_BYTES + " bytes)"));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        request.resume();
        return promise.future();
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public static ObjectNode parse(Buffer body) {
        if (body.length() == 0 || body.toString().isBlank()) {
            return AdminJson.object();
        }
        JsonNode node;
        try {
            node = AdminJson.MAPPER.readTree(body.getBytes());
        } catch (JacksonException e) {
            throw GatewayException.badRequest("invalid_json",
                    "body: not valid JSON (expected: a JSON object): " + e.getOriginalMessage());
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw GatewayException.badRequest("invalid_json", "body: " + node.getNodeType() + " (expected: a JSON object)");
    }
}

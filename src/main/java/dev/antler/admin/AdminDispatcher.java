package dev.antler.admin;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads an admin request's JSON body, authenticates and routes it, and answers with the handler's reply. */
final class AdminDispatcher {

    static final String PREFIX = "/api/admin/";
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final AdminContext context;
    private final AdminRoutes routes;

    AdminDispatcher(AdminContext context, AdminRoutes routes) {
        this.context = context;
        this.routes = routes;
    }

    /**
     * Reads the (small, bounded) body before anything else, so that no answer is sent while the
     * request is still arriving and the connection can stay open whatever the answer.
     */
    void handle(Exchange exchange) {
        readBody(exchange.request())
                .compose(body -> dispatch(exchange, body))
                .onSuccess(reply -> exchange.json(reply.status(), Buffer.buffer(AdminJson.bytes(reply.body()))))
                .onFailure(exchange::fail);
    }

    private Future<Reply> dispatch(Exchange exchange, Buffer body) {
        HttpServerRequest request = exchange.request();
        authenticate(request);
        AdminRoutes.Match match = routes.match(request.method(), request.path().substring(PREFIX.length()));
        return switch (match) {
            case AdminRoutes.Match.NotFound notFound -> throw GatewayException.notFound("not_found",
                    "path: " + request.path() + " (expected: an admin endpoint; see docs/admin-api.md)");
            case AdminRoutes.Match.WrongMethod wrong -> throw new GatewayException(405, ErrorKind.INVALID_REQUEST,
                    "method_not_allowed", "method: " + request.method() + " " + request.path()
                    + " (expected: one of " + wrong.allowed() + ")");
            case AdminRoutes.Match.Found found ->
                    found.handler().handle(new AdminCall(context, exchange, found.params(), parse(body)));
        };
    }

    private void authenticate(HttpServerRequest request) {
        String presented = ClientKey.of(request);
        if (presented == null || presented.isEmpty()) {
            request.response().putHeader("WWW-Authenticate", "Bearer");
            throw GatewayException.unauthorized("admin key: missing (expected: Authorization: Bearer <admin key>, "
                    + "Authorization: <admin key> or x-api-key: <admin key>)");
        }
        if (!context.adminKey().matches(presented)) {
            request.response().putHeader("WWW-Authenticate", "Bearer");
            throw GatewayException.unauthorized("admin key: invalid (expected: the admin key of this gateway)");
        }
    }

    private static Future<Buffer> readBody(HttpServerRequest request) {
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
    private static ObjectNode parse(Buffer body) {
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

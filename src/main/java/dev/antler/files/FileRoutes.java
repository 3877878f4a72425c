package dev.antler.files;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.http.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code GET /files/{name}}: a stored file, without authentication (the name is the secret, as with
 * the provider URLs it replaces). Unknown, malformed and expired names are 404.
 */
public final class FileRoutes {

    private static final String PREFIX = "/files/";

    private FileRoutes() {}

    public static void register(Routes routes, Vertx vertx, FileStore store, ErrorFormat errors) {
        routes.prefix(PREFIX, errors, exchange -> serve(exchange, vertx, store));
    }

    private static void serve(Exchange exchange, Vertx vertx, FileStore store) {
        HttpMethod method = exchange.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            exchange.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed",
                    method + " " + exchange.request().path() + " (expected: GET)"));
            return;
        }
        String name = exchange.request().path().substring(PREFIX.length());
        vertx.executeBlocking(() -> store.find(name))
                .onSuccess(file -> send(exchange, method, store, name, file))
                .onFailure(exchange::fail);
    }

    private static void send(Exchange exchange, HttpMethod method, FileStore store, String name, Optional<Path> file) {
        if (file.isEmpty()) {
            exchange.fail(GatewayException.notFound("file_not_found", "file: " + name
                    + " (expected: a file this gateway stored, within " + store.retention().toHours() + " h)"));
            return;
        }
        HttpServerResponse response = exchange.response();
        response.putHeader("Content-Type", FileStore.contentType(name))
                .putHeader("Cache-Control", "public, max-age=" + store.retention().toSeconds() + ", immutable")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (name.endsWith(".svg")) {
            // A vector result (Recraft) is a document that could hold script: opened directly, it runs in a sandbox.
            response.putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        }
        if (method == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Long.toString(file.get().toFile().length())).end();
        } else {
            response.sendFile(file.get().toString()).onFailure(e -> response.reset());
        }
    }
}

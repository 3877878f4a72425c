package dev.antler.files;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Exchange;
import dev.antler.http.Routes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|HEAD /files/{name}}: a stored file, without authentication (the name is the secret, as with the
 * provider URLs it replaces), with Range. Unknown, malformed and expired names are 404; a storage that cannot be
 * asked is a 503 (the reason is logged, not shown: it may name the bucket).
 */
public final class FileRoutes {

    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
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
        vertx.executeBlocking(() -> store.find(name), false)
                .onSuccess(file -> send(exchange, store, name, file))
                .onFailure(e -> exchange.fail(unavailable(name, e)));
    }

    private static void send(Exchange exchange, FileStore store, String name, Optional<FileStore.Stored> file) {
        if (file.isEmpty()) {
            exchange.fail(GatewayException.notFound("file_not_found", "file: " + name
                    + " (expected: a file this gateway stored, within " + store.retention().toHours() + " h)"));
            return;
        }
        exchange.response()
                .putHeader("Cache-Control", "public, max-age=" + store.retention().toSeconds() + ", immutable")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (name.endsWith(".svg")) {
            // A vector result (Recraft) is a document that could hold script: opened directly, it runs in a sandbox.
            exchange.response().putHeader("Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        }
        FileSender.send(exchange, store, file.get());
    }

    private static Throwable unavailable(String name, Throwable e) {
        if (!(e instanceof FileStore.StoreUnavailable)) {
            return e;
        }
        log.warn("file {}: not served, the storage did not answer: {}", name, e.getMessage());
        return FileSender.unavailable(name);
    }
}

package dev.antler.http;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The edge's routing table: exact paths first (one hash lookup), then prefixes, longest first.
 * Each route names the error envelope of its family, so even a 404 or 405 answers in the format the
 * client expects.
 */
public final class Routes {

    private final Map<String, Map<HttpMethod, Route>> exact = new HashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();
    private final ErrorFormat fallbackErrors;

    public Routes(ErrorFormat fallbackErrors) {
        this.fallbackErrors = requireNonNull(fallbackErrors, "fallbackErrors");
    }

    public Routes add(HttpMethod method, String path, ErrorFormat errors, Consumer<Exchange> handler) {
        Route previous = exact.computeIfAbsent(path, p -> new HashMap<>()).put(method, new Route(errors, handler));
        if (previous != null) {
            throw new IllegalStateException("route: " + method + " " + path + " (expected: registered once)");
        }
        return this;
    }

    /** Every method of every path under {@code prefix} goes to {@code handler}. */
    public Routes prefix(String prefix, ErrorFormat errors, Consumer<Exchange> handler) {
        prefixes.add(new Prefix(prefix, new Route(errors, handler)));
        prefixes.sort((a, b) -> b.prefix.length() - a.prefix.length());
        return this;
    }

    public void dispatch(HttpServerRequest request) {
        String path = request.path();
        Map<HttpMethod, Route> byMethod = exact.get(path);
        if (byMethod == null && path.length() > 1 && path.endsWith("/")) {
            byMethod = exact.get(path.substring(0, path.length() - 1));
        }
        if (byMethod != null) {
            Route route = byMethod.get(request.method());
            if (route == null && request.method() == HttpMethod.HEAD) {
                route = byMethod.get(HttpMethod.GET);
            }
            if (route != null) {
                route.handler.accept(new Exchange(request, route.errors));
                return;
            }
            ErrorFormat errors = byMethod.values().iterator().next().errors;
            new Exchange(request, errors).fail(new GatewayException(405, ErrorKind.INVALID_REQUEST,
                    "method_not_allowed", request.method() + " " + path + " (expected: " + byMethod.keySet() + ")"));
            return;
        }
        for (Prefix prefix : prefixes) {
            if (path.startsWith(prefix.prefix)) {
                prefix.route.handler.accept(new Exchange(request, prefix.route.errors));
                return;
            }
        }
        new Exchange(request, fallbackErrors).fail(GatewayException.notFound("not_found",
                "no route for " + request.method() + " " + path));
    }

    private record Route(ErrorFormat errors, Consumer<Exchange> handler) {}

    private record Prefix(String prefix, Route route) {}
}

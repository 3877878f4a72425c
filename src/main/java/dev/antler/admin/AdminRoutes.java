package dev.antler.admin;

import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin endpoints by method and path pattern, relative to {@code /api/admin/}. A pattern segment
 * {@code {name}} captures one URL-decoded segment; a last segment {@code {name*}} captures the whole
 * URL-decoded rest of the path, slashes included (model names such as {@code acme/model-1.5}).
 */
public final class AdminRoutes {

    private final List<Route> routes = new ArrayList<>();

    public AdminRoutes add(HttpMethod method, String pattern, AdminHandler handler) {
        routes.add(new Route(method, pattern.split("/"), handler));
        return this;
    }

    /** The registered endpoints in order, for the API description. */
    public List<Endpoint> endpoints() {
        return routes.stream().map(r -> new Endpoint(r.method, String.join("/", r.pattern))).toList();
    }

    public record Endpoint(HttpMethod method, String pattern) {}

    /** Matches {@code rawPath} (still percent-encoded, without the prefix and the query). */
    Match match(HttpMethod method, String rawPath) {
        String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        String[] segments = path.split("/", -1);
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.bind(segments);
            if (params == null) {
                continue;
            }
            if (route.method.equals(method)) {
                return new Match.Found(route.handler, params, String.join("/", route.pattern));
            }
            allowed.add(route.method);
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.WrongMethod(allowed);
    }

    sealed interface Match {
        record Found(AdminHandler handler, Map<String, String> params, String pattern) implements Match {}

        record NotFound() implements Match {}

        record WrongMethod(Set<HttpMethod> allowed) implements Match {}
    }

    private record Route(HttpMethod method, String[] pattern, AdminHandler handler) {

        /** The captured parameters, or null when the path does not fit the pattern. */
        Map<String, String> bind(String[] segments) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < pattern.length; i++) {
                String part = pattern[i];
                if (part.endsWith("*}")) {
                    if (i >= segments.length) {
                        return null;
                    }
                    String rest = String.join("/", List.of(segments).subList(i, segments.length));
                    params.put(part.substring(1, part.length() - 2), decode(rest));
                    return rest.isEmpty() ? null : params;
                }
                if (i >= segments.length || segments[i].isEmpty()) {
                    return null;
                }
                if (part.startsWith("{")) {
                    params.put(part.substring(1, part.length() - 1), decode(segments[i]));
                } else if (!part.equals(segments[i])) {
                    return null;
                }
            }
            return segments.length == pattern.length ? params : null;
        }
    }

    /** Percent-decoding of a path: unlike a form, '+' stays a plus. */
    static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("path", raw, "valid percent-encoding");
        }
    }
}

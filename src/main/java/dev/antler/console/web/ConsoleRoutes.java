package dev.antler.console.web;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.Exchange;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Serves the web console at {@code /} and {@code /console/…} from memory.
 *
 * <p>The console is plain ES modules with three small vendored libraries (Preact, htm, uPlot; see
 * {@code console/vendor/README.md}) and no build step: an operator needs nothing beyond the JDK that runs the gateway,
 * no Node.js toolchain is downloaded by the Maven build, and the files served are the files in the repository, which
 * keeps them reviewable. Every answer carries a strict Content-Security-Policy (no inline script or style, nothing
 * from another origin), so an injected string in a log row can never run as script.
 *
 * <p>A path under {@code /console/} without a file extension that names no file is a page of the single-page app and
 * gets {@code index.html}; a missing file with an extension is a 404.
 */
public final class ConsoleRoutes {

    public static final String PREFIX = "/console/";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final ConsoleAssets assets;

    public ConsoleRoutes(ConsoleAssets assets) {
        this.assets = requireNonNull(assets, "assets");
    }

    public static void register(Routes routes, ConsoleAssets assets) {
        ConsoleRoutes console = new ConsoleRoutes(assets);
        routes.add(HttpMethod.GET, "/", OpenAiErrorFormat.INSTANCE, ex -> console.serve(ex, assets.index()));
        routes.add(HttpMethod.GET, "/console", OpenAiErrorFormat.INSTANCE, ex -> console.serve(ex, assets.index()));
        routes.prefix(PREFIX, OpenAiErrorFormat.INSTANCE, console::handle);
    }

    private void handle(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            exchange.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed",
                    request.method() + " " + request.path() + " (expected: [GET, HEAD])"));
            return;
        }
        String path = request.path().substring(PREFIX.length());
        ConsoleAssets.Asset asset = assets.find(path).orElse(null);
        if (asset == null && ConsoleAssets.extension(path).isEmpty()) {
            asset = assets.index();
        }
        if (asset == null) {
            exchange.fail(GatewayException.notFound("not_found", "no console file " + request.path()));
            return;
        }
        serve(exchange, asset);
    }

    private void serve(Exchange exchange, ConsoleAssets.Asset asset) {
        HttpServerRequest request = exchange.request();
        HttpServerResponse response = exchange.response();
        boolean gzip = asset.gzip() != null && acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
        // Each encoding is its own representation, so it has its own strong ETag.
        String etag = gzip ? asset.etag().replace("\"", "") + "-gz" : asset.etag().replace("\"", "");
        etag = "\"" + etag + "\"";
        response.putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Vary", "Accept-Encoding")
                .putHeader("ETag", etag);
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        byte[] body = gzip ? asset.gzip() : asset.bytes();
        response.putHeader("Content-Type", asset.contentType());
        if (gzip) {
            response.putHeader("Content-Encoding", "gzip");
        }
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Integer.toString(body.length)).end();
            return;
        }
        response.setStatusCode(200).end(Buffer.buffer(body));
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] coding = part.trim().split(";");
            if (coding[0].trim().equalsIgnoreCase("gzip")) {
                return coding.length < 2 || !coding[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}

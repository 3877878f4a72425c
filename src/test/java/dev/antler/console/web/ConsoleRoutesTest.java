package dev.antler.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files as a browser gets them from a running gateway: types, gzip, ETags, SPA fallback, headers. */
class ConsoleRoutesTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    @Test
    void rootServesTheConsoleWithAStrictPolicy() {
        HttpResponse<byte[]> answer = get("/");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(text(answer)).contains("<script type=\"module\" src=\"/console/js/main.js\"></script>")
                .doesNotContain("<script>").doesNotContain("style=");
        assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleRoutes.CSP);
        assertThat(answer.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void modulesAndStylesHaveTheirTypes() {
        assertThat(get("/console/js/main.js").headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(get("/console/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/console/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(get("/console/vendor/preact.module.js").statusCode()).isEqualTo(200);
    }

    @Test
    void gzipIsSentToClientsThatAcceptItAndDecodesToTheSameFile() throws IOException {
        HttpResponse<byte[]> plain = get("/console/vendor/uplot.esm.js");
        HttpResponse<byte[]> zipped = get("/console/vendor/uplot.esm.js", "Accept-Encoding", "br, gzip;q=0.8");

        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(plain.body().length / 2);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(zipped.headers().firstValue("ETag")).isNotEqualTo(plain.headers().firstValue("ETag"));
        assertThat(get("/console/app.css", "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding"))
                .isEmpty();
    }

    @Test
    void aKnownEtagGetsNotModified() {
        String etag = get("/console/app.css").headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = get("/console/app.css", "If-None-Match", etag);
        HttpResponse<byte[]> changed = get("/console/app.css", "If-None-Match", "\"something-else\"");

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(changed.statusCode()).isEqualTo(200);
    }

    @Test
    void pagesOfTheAppGetIndexAndMissingFilesA404() {
        HttpResponse<byte[]> page = get("/console/users/12");
        HttpResponse<byte[]> missing = get("/console/js/nothing.js");
        HttpResponse<byte[]> outside = get("/console/../pom.xml");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(text(page)).isEqualTo(text(get("/")));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(outside.statusCode()).isIn(400, 404);
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        HttpResponse<String> post = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/console/app.css"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        HttpResponse<String> head = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/console/app.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void apiRoutesAreUnchanged() {
        HttpResponse<String> models = gw.get("/v1/models", "sk-no-such-key");
        HttpResponse<String> admin = gw.get("/api/admin/users", GatewayHarness.ADMIN_KEY);
        HttpResponse<String> unknown = gw.get("/no/such/path", GatewayHarness.ADMIN_KEY);

        assertThat(models.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no route for GET /no/such/path");
    }

    @Test
    void everyVendoredLibraryHasItsLicenceAndNoBareImports() {
        HttpResponse<byte[]> hooks = get("/console/vendor/preact-hooks.module.js");

        assertThat(text(hooks)).contains("from\"./preact.module.js\"").doesNotContain("from\"preact\"");
        for (String licence : new String[] {"LICENSE-preact", "LICENSE-htm", "LICENSE-uplot", "README.md"}) {
            assertThat(get("/console/vendor/" + licence).statusCode()).as(licence).isEqualTo(200);
        }
    }
}

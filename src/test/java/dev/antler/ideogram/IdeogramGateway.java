package dev.antler.ideogram;

import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.JsonNode;

/** A real gateway with one {@code ideogram} channel in front of a {@link FakeIdeogram}, and a user to call it. */
class IdeogramGateway implements AutoCloseable {

    static final String USER_KEY = "sk-alice-ideogram-0001";
    /** Error answers before the body is read close the connection, which HTTP/2 forbids: speak HTTP/1.1. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final FakeIdeogram upstream;
    final GatewayHarness gw;

    /** A view of {@code target} that drops the {@code /ideogram} prefix from every path it posts to. */
    static final class Rooted extends IdeogramGateway {
        private final IdeogramGateway target;

        Rooted(IdeogramGateway target) {
            super(target.upstream, target.gw);
            this.target = target;
        }

        private static String root(String path) {
            return path.startsWith("/ideogram/") ? path.substring("/ideogram".length()) : path;
        }

        @Override
        HttpResponse<String> post(String path, byte[] body, String contentType) {
            return target.post(root(path), body, contentType);
        }

        @Override
        HttpResponse<String> postJson(String path, String json) {
            return target.postJson(root(path), json);
        }

        @Override
        public void close() {
            // the target owns the gateway
        }
    }

    private IdeogramGateway(FakeIdeogram upstream, GatewayHarness gw) {
        this.upstream = upstream;
        this.gw = gw;
    }

    IdeogramGateway(String extraYaml) throws Exception {
        upstream = new FakeIdeogram();
        gw = GatewayHarness.start("""
                channels: [{ name: ideo, type: ideogram, base_url: "%s", key: %s }]
                users: [{ name: alice, balance: 100, keys: [{ key: %s }] }]
                """.formatted(upstream.baseUrl(), FakeIdeogram.KEY, USER_KEY) + extraYaml);
    }

    /** Posts a form with the bare {@code Authorization: <key>} header, as DeerAPI's example does. */
    HttpResponse<String> post(String path, Form form) {
        return post(path, form.bytes(), Form.contentType());
    }

    HttpResponse<String> post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", USER_KEY)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + USER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(request.uri().toString(), e);
        }
    }

    /** Calls the admin API. */
    HttpResponse<String> admin(String method, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    private Jdbi jdbi() {
        return gw.gateway().database().jdbi();
    }

    /** alice's balance in nano-USD, once every settled charge is written. */
    long balance() {
        gw.awaitLedger();
        return jdbi().withHandle(h -> h.createQuery("SELECT balance_nanos FROM users WHERE name = 'alice'")
                .mapTo(Long.class).one());
    }

    long ledgerSum() {
        gw.awaitLedger();
        return jdbi().withHandle(h -> h.createQuery("SELECT SUM(l.amount_nanos) FROM ledger l JOIN users u"
                + " ON u.id = l.user_id WHERE u.name = 'alice'").mapTo(Long.class).one());
    }

    /** The latest usage-log row; whole numbers as {@code Long} whatever the driver returns. */
    Map<String, Object> lastLog() {
        gw.awaitLedger();
        Map<String, Object> row = jdbi().withHandle(h -> h.createQuery("SELECT * FROM usage_logs ORDER BY id DESC LIMIT 1")
                .mapToMap().findOne().orElse(Map.of()));
        Map<String, Object> normalized = new java.util.HashMap<>();
        row.forEach((column, value) -> normalized.put(column, value instanceof Number n && !(value instanceof Double)
                ? (Object) n.longValue() : value));
        return normalized;
    }

    long logCount() {
        gw.awaitLedger();
        return jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_logs").mapTo(Long.class).one());
    }

    @Override
    public void close() throws Exception {
        gw.close();
        upstream.close();
    }
}

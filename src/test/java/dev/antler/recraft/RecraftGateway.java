package dev.antler.recraft;

import dev.antler.json.Json;
import dev.antler.testing.FormData;
import dev.antler.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.JsonNode;

/**
 * A real gateway in front of two {@link FakeRecraft}s — {@code primary} on a higher priority tier than
 * {@code backup}, so a request goes to the primary and fails over to the backup — and a user to call it.
 */
class RecraftGateway implements AutoCloseable {

    static final String USER_KEY = "sk-alice-recraft-0001";
    /** Error answers before the body is read close the connection, which HTTP/2 forbids: speak HTTP/1.1. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final FakeRecraft primary;
    final FakeRecraft backup;
    final GatewayHarness gw;

    RecraftGateway(String extraYaml) throws Exception {
        primary = new FakeRecraft();
        backup = new FakeRecraft();
        gw = GatewayHarness.start("""
                channels:
                  - { name: recraft-a, type: recraft, base_url: "%s", key: %s, priority: 1 }
                  - { name: recraft-b, type: recraft, base_url: "%s/v1", key: %s, priority: 0 }
                users: [{ name: alice, balance: 100, keys: [{ key: %s }] }]
                """.formatted(primary.baseUrl(), FakeRecraft.KEY, backup.baseUrl(), FakeRecraft.KEY, USER_KEY)
                + extraYaml);
    }

    void reset() {
        primary.reset();
        backup.reset();
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + USER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> post(String path, FormData form) {
        return send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + USER_KEY)
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(request.uri().toString(), e);
        }
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

    /** What {@code call} cost alice. */
    long charged(Runnable call) {
        long before = balance();
        call.run();
        return before - balance();
    }

    /** The latest usage-log row; whole numbers as {@code Long} whatever the driver returns. */
    Map<String, Object> lastLog() {
        gw.awaitLedger();
        Map<String, Object> row = jdbi().withHandle(h -> h.createQuery("SELECT * FROM usage_logs ORDER BY id DESC LIMIT 1")
                .mapToMap().findOne().orElse(Map.of()));
        Map<String, Object> normalized = new HashMap<>();
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
        primary.close();
        backup.close();
    }
}

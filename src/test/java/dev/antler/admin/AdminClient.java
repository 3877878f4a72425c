package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Calls a test gateway's admin API (with the admin key) and its relay endpoints (with a user's key). */
final class AdminClient {

    /**
     * Relay calls go over HTTP/1.1: the edge's early error answers add {@code Connection: close},
     * which HTTP/2 forbids, so an h2c client cannot read them (a bug outside the admin API). Admin
     * calls use the harness's client, which upgrades to h2c.
     */
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final GatewayHarness gw;

    AdminClient(GatewayHarness gw) {
        this.gw = gw;
    }

    URI uri(String path) {
        return URI.create(gw.baseUrl() + path);
    }

    HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return gw.send(request.build());
    }

    JsonNode adminJson(String method, String path, String json) {
        return json(admin(method, path, json));
    }

    HttpResponse<String> relayGet(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    HttpResponse<String> relayPost(String path, String key, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP_1_1.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri().toString(), e);
        }
    }

    /** Creates a user with an opening balance (USD) in {@code group} (null: the default group). */
    long createUser(String name, String balance, String group) {
        String body = group == null
                ? "{\"name\":\"%s\",\"balance\":%s}".formatted(name, balance)
                : "{\"name\":\"%s\",\"balance\":%s,\"group\":\"%s\"}".formatted(name, balance, group);
        HttpResponse<String> created = admin("POST", "/api/admin/users", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asLong();
    }

    /** Creates a key for the user and returns the creation answer, which holds the plain key. */
    JsonNode createKey(long userId, String json) {
        HttpResponse<String> created = admin("POST", "/api/admin/users/" + userId + "/keys", json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    /** The model ids {@code GET /v1/models} lists for {@code key}. */
    List<String> models(String key) {
        HttpResponse<String> response = relayGet("/v1/models", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).get("data").forEach(m -> ids.add(m.get("id").asString()));
        return ids;
    }

    static JsonNode json(HttpResponse<String> response) {
        return AdminJson.MAPPER.readTree(response.body());
    }

    /** The error message of a 400 answer. */
    static String badRequest(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return json(response).at("/error/message").asString();
    }

    static BigDecimal usd(JsonNode node, String field) {
        return node.get(field).decimalValue();
    }

    /** The sum of the {@code amount} of ledger rows. */
    static BigDecimal sum(JsonNode rows) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode row : rows) {
            sum = sum.add(usd(row, "amount"));
        }
        return sum;
    }
}

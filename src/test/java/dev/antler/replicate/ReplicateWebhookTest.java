package dev.antler.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The client's webhook: sent by the gateway (never given upstream) for the events its filter names, signed as
 * Replicate signs (Standard Webhooks), verified here with the secret read from the secret route.
 */
class ReplicateWebhookTest {

    private static final String ROUTE = "/replicate/v1/models/black-forest-labs/flux-schnell/predictions";

    /** One delivery: the hook's query (which prediction), the headers, the body. */
    record Delivery(String hook, Map<String, String> headers, String body) {
        JsonNode json() {
            return Json.MAPPER.readTree(body);
        }
    }

    private FakeReplicate upstream;
    private GatewayHarness gw;
    private HttpServer hook;
    private final List<Delivery> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeReplicate();
        gw = GatewayHarness.start("""
                channels: [{ name: replicate, type: replicate, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), FakeReplicate.KEY, TestUsers.key("alice"), TestUsers.key("bob")));
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            Map<String, String> headers = new java.util.HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            received.add(new Delivery(ex.getRequestURI().getQuery(), headers,
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
    }

    @AfterEach
    void stop() {
        hook.stop(0);
        gw.close();
        upstream.close();
    }

    private String hookUrl(String name) {
        return "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook?" + name;
    }

    private String submit(String name, String filter) {
        String body = "{\"input\":{\"prompt\":\"a " + name + "\"},\"webhook\":\"" + hookUrl(name) + "\""
                + (filter == null ? "" : ",\"webhook_events_filter\":" + filter) + "}";
        HttpResponse<String> answer = gw.post(ROUTE, TestUsers.key("alice"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("id").asString();
        gw.awaitLedger(); // its charge written: a completion is settled only then
        HttpResponse<String> first = gw.get("/replicate/v1/predictions/" + id, TestUsers.key("alice"));
        assertThat(Json.MAPPER.readTree(first.body()).path("status").asString()).isEqualTo("processing");
        HttpResponse<String> second = gw.get("/replicate/v1/predictions/" + id, TestUsers.key("alice"));
        assertThat(Json.MAPPER.readTree(second.body()).path("status").asString()).isEqualTo("succeeded");
        return id;
    }

    private String secret(String user) {
        HttpResponse<String> answer = gw.get("/replicate/v1/webhooks/default/secret", TestUsers.key(user));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body()).path("key").asString();
    }

    private List<Delivery> deliveries(String name) {
        return received.stream().filter(d -> d.hook().equals(name)).toList();
    }

    @Test
    void eachFilterGetsItsEventsSignedWithTheUsersSecret() throws Exception {
        String secret = secret("alice");
        assertThat(secret).startsWith("whsec_");
        assertThat(secret("alice")).as("the same at every read").isEqualTo(secret);
        assertThat(secret("bob")).as("one per user").isNotEqualTo(secret).startsWith("whsec_");

        String all = submit("all", null);
        String completed = submit("completed", "[\"completed\"]");
        String start = submit("start", "[\"start\"]");
        String output = submit("output", "[\"output\"]");
        long deadline = System.currentTimeMillis() + 10_000;
        while (deliveries("all").size() < 2 || deliveries("completed").isEmpty() || deliveries("start").isEmpty()
                || deliveries("output").isEmpty()) {
            assertThat(System.currentTimeMillis()).as("the webhooks arrive: " + received).isLessThan(deadline);
            Thread.sleep(10);
        }
        Thread.sleep(300); // nothing more comes

        // Each change is delivered on its own (a slow hook never holds up the next), so two may cross on the wire.
        assertThat(deliveries("all")).extracting(d -> d.json().path("status").asString())
                .containsExactlyInAnyOrder("processing", "succeeded");
        assertThat(deliveries("completed")).extracting(d -> d.json().path("status").asString())
                .containsExactly("succeeded");
        assertThat(deliveries("start")).extracting(d -> d.json().path("status").asString())
                .containsExactly("processing");
        assertThat(deliveries("output")).extracting(d -> d.json().path("status").asString())
                .containsExactly("succeeded");
        assertThat(deliveries("all").get(0).json().path("id").asString()).isEqualTo(all);
        assertThat(deliveries("completed").get(0).json().path("id").asString()).isEqualTo(completed);
        assertThat(deliveries("start").get(0).json().path("id").asString()).isEqualTo(start);
        JsonNode done = deliveries("output").get(0).json();
        assertThat(done.path("id").asString()).isEqualTo(output);
        assertThat(done.path("output").get(0).asString()).startsWith(gw.baseUrl() + "/results/" + output + "/");

        long now = System.currentTimeMillis() / 1000;
        for (Delivery d : received) {
            assertThat(verify(secret, d)).as("signature of " + d).isTrue();
            assertThat(verify(secret("bob"), d)).as("not bob's").isFalse();
            assertThat(Long.parseLong(d.headers().get("webhook-timestamp"))).isBetween(now - 30, now + 1);
            assertThat(d.body() + d.headers()).doesNotContain(upstream.baseUrl()).doesNotContain("upid")
                    .doesNotContain(FakeReplicate.KEY);
        }
        assertThat(received.stream().map(d -> d.headers().get("webhook-id")).distinct().count())
                .as("one id per message").isEqualTo(received.size());
        assertThat(upstream.created).allMatch(c -> !c.has("webhook") && !c.has("webhook_events_filter"));
    }

    /** The Standard Webhooks check, as Replicate's clients make it. */
    static boolean verify(String secret, Delivery d) throws Exception {
        String id = d.headers().get("webhook-id");
        String timestamp = d.headers().get("webhook-timestamp");
        String signatures = d.headers().get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.split("_")[1]), "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + d.body()).getBytes(StandardCharsets.UTF_8));
        for (String signature : signatures.split(" ")) {
            String[] parts = signature.split(",");
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
                return true;
            }
        }
        return false;
    }
}

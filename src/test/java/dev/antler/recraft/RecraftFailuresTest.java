package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Upstream failures: Recraft's own 4xx refusal reaches the client in its shape, uncharged; a 5xx or 429 fails
 * over to the next channel, which alone is charged; when every channel fails the client gets a gateway error,
 * uncharged. No answer names a provider host or key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftFailuresTest {

    private RecraftGateway recraft;

    @BeforeAll
    void start() throws Exception {
        recraft = new RecraftGateway("");
    }

    @AfterAll
    void stop() throws Exception {
        assertThat(recraft.balance()).isEqualTo(recraft.ledgerSum());
        recraft.close();
    }

    @BeforeEach
    void reset() {
        recraft.reset();
    }

    private HttpResponse<String> generate(AtomicReference<Long> charged) {
        AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
        charged.set(recraft.charged(() -> response.set(generate(recraft))));
        return response.get();
    }

    private static HttpResponse<String> generate(RecraftGateway recraft) {
        HttpResponse<String> response = recraft.postJson("/recraft/v1/images/generations", "{\"prompt\":\"a fox\",\"n\":3}");
        if (response.statusCode() != 200) { // an answer's URLs are Recraft's unless mirroring is on (RecraftMirrorTest)
            assertNoProviderDetails(recraft, response);
        }
        return response;
    }

    private static void assertNoProviderDetails(RecraftGateway recraft, HttpResponse<String> response) {
        String everything = response.body() + response.headers().map();
        for (FakeRecraft fake : new FakeRecraft[] {recraft.primary, recraft.backup}) {
            assertThat(everything).doesNotContain(URI.create(fake.baseUrl()).getAuthority());
        }
        assertThat(everything).doesNotContain(FakeRecraft.KEY);
    }

    @Test
    void recraftsOwnRefusalPassesThroughUncharged() {
        recraft.primary.status = 400;
        AtomicReference<Long> charged = new AtomicReference<>();
        HttpResponse<String> response = generate(charged);

        assertThat(charged.get()).isZero();
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"code\":\"prompt_is_forbidden\","
                + "\"message\":\"The prompt was rejected by the moderation\"}");
        assertThat(recraft.backup.seen).as("the upstream did the work of refusing: not tried again").isEmpty();
        assertThat(recraft.lastLog()).containsEntry("status_code", 400L).containsEntry("cost_nanos", 0L);
    }

    @Test
    void aServerErrorFailsOverAndOnlyTheAnswerIsCharged() {
        recraft.primary.status = 500;
        AtomicReference<Long> charged = new AtomicReference<>();
        HttpResponse<String> response = generate(charged);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(charged.get()).isEqualTo(3 * Usd.parse("0.04"));
        assertThat(recraft.primary.seen).hasSize(1);
        assertThat(recraft.backup.seen).hasSize(1);
        assertThat(recraft.backup.last().path()).as("a base URL ending in /v1").isEqualTo("/v1/images/generations");
        assertThat(recraft.lastLog()).containsEntry("attempts", 2L).containsEntry("units", 3L);
    }

    @Test
    void aRateLimitFailsOverToo() {
        recraft.primary.status = 429;
        AtomicReference<Long> charged = new AtomicReference<>();
        HttpResponse<String> response = generate(charged);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(charged.get()).isEqualTo(3 * Usd.parse("0.04"));
        assertThat(recraft.backup.seen).hasSize(1);
    }

    @Test
    void whenEveryChannelFailsTheClientGetsAGatewayErrorUncharged() {
        recraft.primary.status = 503;
        recraft.backup.status = 500;
        AtomicReference<Long> charged = new AtomicReference<>();
        HttpResponse<String> response = generate(charged);

        assertThat(charged.get()).isZero();
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = RecraftGateway.json(response);
        assertThat(error.path("code").stringValue()).isEqualTo("upstream_error");
        assertThat(error.path("message").stringValue()).isEqualTo("the upstream failed with HTTP 500");
        assertThat(recraft.lastLog()).containsEntry("cost_nanos", 0L);
    }

    /** On a gateway of its own: the refused key disables its channel. */
    @Test
    void aRefusedChannelKeyIsTheGatewaysProblemNotTheClients() throws Exception {
        try (RecraftGateway revoked = new RecraftGateway("")) {
            revoked.primary.key = "a-revoked-key";
            AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
            assertThat(revoked.charged(() -> response.set(generate(revoked)))).isZero();

            assertThat(response.get().statusCode()).isEqualTo(502);
            JsonNode error = RecraftGateway.json(response.get());
            assertThat(error.path("code").stringValue()).isEqualTo("upstream_auth_failed");
            assertThat(error.path("message").stringValue())
                    .isEqualTo("the upstream refused the gateway's channel credentials (HTTP 401)");
            assertThat(revoked.backup.seen).as("the work may not be done twice: no failover on 401").isEmpty();
        }
    }
}

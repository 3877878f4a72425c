package dev.antler.relay;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKeys;
import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FormData;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.Spool;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Requests refused before anything is held or sent: each gets the right status, an OpenAI error
 * envelope naming the request id, no charge, and the upstream never hears of it.
 */
class BadInputTest {

    private static final long OPENING = 10_000_000_000L;
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                server: { port: 0, event_loops: 2, max_body_bytes: 1024, http2_cleartext: true }
                channels: [{ name: main, base_url: "%s", key: sk-upstream-0001, models: [gpt-4o-mini, gpt-4o] }]
                users:
                %s  - name: broke
                    balance: 0
                    keys: [{ key: %s }]
                  - name: capped
                    balance: 10
                    keys: [{ key: %s, spend_limit: 0.0001 }]
                  - name: narrow
                    balance: 10
                    keys: [{ key: %s, models: [gpt-4o] }]
                  - name: late
                    balance: 10
                    keys: [{ key: %s, expires_at: "2020-01-01T00:00:00Z" }]
                """.formatted(upstream.baseUrl(), TestUsers.yaml("alice", "disabled"), key("broke"),
                key("capped"), key("narrow"), key("late")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @AfterEach
    void nothingWentUpstreamAndNoSpoolFileIsLeft() {
        assertThat(upstream.requests()).isEmpty();
        assertThat(Spool.files()).as("spooled uploads left behind").isEmpty();
    }

    private static HttpResponse<String> post(String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return RawHttp.send(request.build());
    }

    /** Checks the refusal and returns its error message. */
    private static String assertRefused(HttpResponse<String> answer, int status, String code) {
        assertThat(answer.statusCode()).isEqualTo(status);
        String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("type").isString()).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("message").asString()).contains("(request id: " + requestId + ")");
        return error.path("message").asString();
    }

    private static void assertNotCharged(String user) {
        gw.awaitLedger();
        assertThat(store.usage(user)).isEmpty();
        assertThat(store.ledger(user, "charge")).isEmpty();
    }

    @Test
    void malformedJson() {
        String message = assertRefused(post(key("alice"), "application/json", "{\"model\": \"gpt-4o-mini\", "),
                400, "invalid_json");
        assertThat(message).contains("malformed JSON");
        assertNotCharged("alice");
    }

    @Test
    void notAnObject() {
        assertRefused(post(key("alice"), "application/json", "[1,2]"), 400, "invalid_json");
        assertNotCharged("alice");
    }

    @Test
    void missingModel() {
        String message = assertRefused(post(key("alice"), "application/json",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), 400, "missing_model");
        assertThat(message).startsWith("model: missing");
        assertNotCharged("alice");
    }

    @Test
    void missingMessages() {
        String message = assertRefused(post(key("alice"), "application/json", "{\"model\":\"gpt-4o-mini\"}"),
                400, "missing_messages");
        assertThat(message).contains("messages");
        assertNotCharged("alice");
    }

    @Test
    void unknownModel() {
        String message = assertRefused(post(key("alice"), "application/json",
                "{\"model\":\"gpt-9\",\"messages\":[]}"), 404, "model_not_found");
        assertThat(message).contains("gpt-9");
        assertNotCharged("alice");
    }

    @Test
    void wrongContentType() {
        String message = assertRefused(post(key("alice"), "text/plain", CHAT), 415, "unsupported_content_type");
        assertThat(message).contains("text/plain").contains("application/json");
        assertNotCharged("alice");
    }

    @Test
    void declaredBodyOverTheLimit() {
        String big = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(2000) + "\"}]}";
        String message = assertRefused(post(key("alice"), "application/json", big), 413, "request_too_large");
        assertThat(message).contains("1024");
        assertNotCharged("alice");
    }

    @Test
    void chunkedBodyOverTheLimit() {
        byte[] big = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(2000) + "\"}]}").getBytes();
        HttpResponse<String> answer = RawHttp.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key("alice"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertRefused(answer, 413, "request_too_large");
        assertNotCharged("alice");
    }

    @Test
    void missingKey() {
        String message = assertRefused(post(null, "application/json", CHAT), 401, "invalid_api_key");
        assertThat(message).startsWith("missing API key");
    }

    @Test
    void invalidKey() {
        String message = assertRefused(post("sk-not-a-key-0000000", "application/json", CHAT), 401,
                "invalid_api_key");
        assertThat(message).startsWith("invalid API key").doesNotContain("sk-not-a-key-0000000");
    }

    @Test
    void expiredKey() {
        String message = assertRefused(post(key("late"), "application/json", CHAT), 401, "invalid_api_key");
        assertThat(message).contains("expired").doesNotContain(key("late"));
        assertNotCharged("late");
    }

    @Test
    void keyDisabledThroughTheAdminApi() {
        assertThat(gw.get("/v1/models", key("disabled")).statusCode()).as("key in use, and cached").isEqualTo(200);
        long id = gw.gateway().admin().accounts().findKeyByHash(ApiKeys.hash(key("disabled"))).orElseThrow().id();
        HttpResponse<String> patched = RawHttp.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/api/admin/keys/" + id))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\": \"disabled\"}")).build());
        assertThat(patched.statusCode()).isEqualTo(200);

        String message = assertRefused(post(key("disabled"), "application/json", CHAT), 401, "invalid_api_key");
        assertThat(message).contains("disabled");
        assertNotCharged("disabled");
    }

    @Test
    void exhaustedBalance() {
        HttpResponse<String> answer = post(key("broke"), "application/json", CHAT);
        String message = assertRefused(answer, 403, "insufficient_quota");
        assertThat(Json.MAPPER.readTree(answer.body()).path("error").path("type").asString())
                .isEqualTo("insufficient_quota");
        assertThat(message).startsWith("insufficient balance");
        assertNotCharged("broke");
    }

    @Test
    void keySpendLimitExceeded() {
        String message = assertRefused(post(key("capped"), "application/json", CHAT), 403, "insufficient_quota");
        assertThat(message).startsWith("key spend limit reached");
        assertNotCharged("capped");
        assertThat(store.balance("capped")).isEqualTo(OPENING);
    }

    @Test
    void modelNotAllowedForTheKey() {
        String message = assertRefused(post(key("narrow"), "application/json", CHAT), 403, "model_not_allowed");
        assertThat(message).contains("gpt-4o-mini").contains("gpt-4o");
        assertNotCharged("narrow");
    }

    @Test
    void uploadWithoutItsFile() {
        FormData form = FormData.builder().field("model", "whisper-1").field("language", "en").build();
        HttpResponse<String> answer = RawHttp.postForm(gw, "/v1/audio/transcriptions", key("alice"), form);

        String message = assertRefused(answer, 400, "missing_file");
        assertThat(message).startsWith("file: missing");
        assertNotCharged("alice");
        assertThat(Spool.files()).isEmpty();
    }

    @Test
    void numbersBeyondTheirRangeAreRefusedNamingTheFieldNotFailedByTheHoldArithmetic() {
        String[][] cases = {
                {"max_tokens", "4611686018427387904"}, {"max_tokens", "9223372036854775807"},
                {"max_tokens", "9223372036854775808"}, {"max_completion_tokens", "4611686018427387904"},
                {"max_completion_tokens", "9223372036854775807"}, {"max_output_tokens", "9223372036854775807"},
                {"n", "1099511627776"}, {"n", "129"}, {"max_tokens", "0"}};
        for (String[] c : cases) {
            String body = "{\"model\":\"gpt-4o-mini\",\"" + c[0] + "\":" + c[1]
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
            String message = assertRefused(post(key("alice"), "application/json", body), 400, "invalid_" + c[0]);
            assertThat(message).startsWith(c[0] + ": " + c[1] + " (expected: an integer from 1 to ");
        }
        assertNotCharged("alice");
    }

    @Test
    void imagesAskedForBeyondTheLimitAreRefused() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/images/generations", key("alice"),
                "{\"model\":\"gpt-4o-mini\",\"prompt\":\"a fox\",\"n\":1099511627776}");

        String message = assertRefused(answer, 400, "invalid_n");
        assertThat(message).startsWith("n: 1099511627776 (expected: an integer from 1 to 10)");
        assertNotCharged("alice");
    }

    @Test
    void aMultipartBoundaryOverSeventyCharactersIsRefusedAndLeavesNoSpoolFile() {
        String boundary = "b".repeat(71);
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> answer = RawHttp.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/audio/transcriptions"))
                .header("Authorization", "Bearer " + key("alice"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        String message = assertRefused(answer, 400, "invalid_multipart");
        assertThat(message).startsWith("multipart boundary: \"" + boundary + "\"");
        assertNotCharged("alice");
        assertThat(Spool.files()).isEmpty();
    }

    @Test
    void anUploadRefusedAfterItWasSpooledLeavesNoSpoolFile() {
        FormData badCount = FormData.builder().field("model", "gpt-4o-mini").field("prompt", "a fox").field("n", "11")
                .file("image", "fox.png", "image/png", new byte[] {1, 2, 3}).build();
        assertRefused(RawHttp.postForm(gw, "/v1/images/edits", key("alice"), badCount), 400, "invalid_n");
        FormData unknownModel = FormData.builder().field("model", "whisper-9")
                .file("file", "a.mp3", "audio/mpeg", new byte[] {1, 2, 3}).build();
        assertRefused(RawHttp.postForm(gw, "/v1/audio/transcriptions", key("alice"), unknownModel), 404,
                "model_not_found");
        FormData narrow = FormData.builder().field("model", "gpt-4o-mini")
                .file("file", "a.mp3", "audio/mpeg", new byte[] {1, 2, 3}).build();
        assertRefused(RawHttp.postForm(gw, "/v1/audio/transcriptions", key("narrow"), narrow), 403,
                "model_not_allowed");
        assertRefused(RawHttp.postForm(gw, "/v1/audio/transcriptions", key("broke"), narrow), 403,
                "insufficient_quota");
        assertNotCharged("alice");
        assertThat(Spool.files()).isEmpty();
    }

    @Test
    void jsonSentToAnUploadEndpoint() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/audio/transcriptions", key("alice"), CHAT);

        assertRefused(answer, 415, "unsupported_content_type");
        assertNotCharged("alice");
    }

    @Test
    void refusalsOverHttp2() throws Exception {
        HttpClient http2 = HttpClient.newHttpClient();
        HttpResponse<String> notFound = http2.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/models/gpt-9"))
                .header("Authorization", "Bearer " + key("alice")).GET().build(), BodyHandlers.ofString());
        HttpResponse<String> invalidKey = http2.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer sk-not-a-key-0000000")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), BodyHandlers.ofString());

        assertThat(notFound.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertRefused(notFound, 404, "model_not_found");
        assertThat(invalidKey.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertRefused(invalidKey, 401, "invalid_api_key");
    }

    @Test
    void unknownRouteAndWrongMethodAnswerInTheEnvelope() {
        assertRefused(RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/nothing-here"))
                .header("Authorization", "Bearer " + key("alice")).GET().build()), 404, "not_found");
        assertRefused(RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key("alice")).GET().build()), 405, "method_not_allowed");
    }
}

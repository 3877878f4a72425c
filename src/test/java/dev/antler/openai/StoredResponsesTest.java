package dev.antler.openai;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.inputitems.InputItemListPage;
import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.SdkClients;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Responses API's calls on a stored response (retrieve, delete, cancel, input items) through the official
 * OpenAI SDK: each goes to the channel that created the response, for its creator only, free and logged.
 */
class StoredResponsesTest {

    private static final String USERS = TestUsers.yaml("ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy");
    private static FakeOpenAi mini;
    private static FakeOpenAi full;
    private static FakeOpenAi spare;
    private static Path directory;
    private static GatewayHarness gw;
    private static GatewayHarness other;
    private static StoreView store;
    private static SdkClients sdk;

    @BeforeAll
    static void startAll() throws Exception {
        mini = FakeOpenAi.start();
        full = FakeOpenAi.start();
        spare = FakeOpenAi.start();
        directory = Files.createTempDirectory("antler-responses-");
        gw = gateway();
        other = gateway(); // a second instance on the same store
        store = new StoreView(gw);
        sdk = new SdkClients(gw);
    }

    /** gpt-4o-mini only on one channel, gpt-4o only on the other: a call that ignored the creator would miss. */
    private static GatewayHarness gateway() {
        return GatewayHarness.start("""
                database: { url: "jdbc:sqlite:%s" }
                channels:
                  - { name: mini, base_url: "%s", key: sk-upstream-mini-0001, models: [gpt-4o-mini] }
                  - { name: full, base_url: "%s", key: sk-upstream-full-0001, models: [gpt-4o] }
                  - { name: spare, base_url: "%s", key: sk-upstream-spare-0001, models: [gpt-4.1-mini] }
                users:
                %s""".formatted(directory.resolve("antler.db"), mini.baseUrl(), full.baseUrl(), spare.baseUrl(),
                USERS));
    }

    @AfterAll
    static void stop() {
        sdk.close();
        other.close();
        gw.close();
        mini.close();
        full.close();
        spare.close();
    }

    private static Response create(String user, String model, boolean background) {
        return sdk.of(user).responses().create(ResponseCreateParams.builder().model(model)
                .input("Tell me a three sentence bedtime story.").background(background).build());
    }

    private static List<ReceivedRequest> calls(FakeOpenAi upstream, String id) {
        return upstream.requests().stream().filter(r -> r.path().contains(id)).toList();
    }

    @Test
    void retrieveGoesToTheChannelThatCreatedTheResponseAndIsLoggedFree() {
        Response onMini = create("ada", "gpt-4o-mini", false);
        Response onFull = create("ada", "gpt-4o", false);

        Response again = sdk.of("ada").responses().retrieve(onFull.id());
        Response againMini = sdk.of("ada").responses().retrieve(onMini.id());

        assertThat(again.id()).isEqualTo(onFull.id());
        assertThat(again.status()).contains(ResponseStatus.COMPLETED);
        assertThat(againMini.id()).isEqualTo(onMini.id());
        assertThat(calls(full, onFull.id())).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/v1/responses/" + onFull.id());
            assertThat(r.header("Authorization")).isEqualTo("Bearer sk-upstream-full-0001");
        });
        assertThat(calls(mini, onFull.id())).isEmpty();
        assertThat(calls(mini, onMini.id())).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
        List<UsageRow> rows = store.awaitUsage("ada", 4);
        UsageRow retrieve = rows.get(2);
        assertThat(retrieve.endpoint()).isEqualTo("responses.retrieve");
        assertThat(retrieve.model()).isEqualTo("gpt-4o");
        assertThat(retrieve.channelId()).isEqualTo(store.channelId("full"));
        assertThat(retrieve.statusCode()).isEqualTo(200);
        assertThat(retrieve.costNanos()).isZero();
        assertThat(retrieve.endReason()).isEqualTo("complete");
        assertThat(rows.get(0).costNanos()).isPositive(); // the create itself is billed as before
    }

    @Test
    void anotherUsersResponseIsNotFoundAndNeverAsked() {
        Response bobs = create("bob", "gpt-4o-mini", false);

        assertThatThrownBy(() -> sdk.of("cy").responses().retrieve(bobs.id())).isInstanceOf(NotFoundException.class);
        HttpResponse<String> deleted = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/responses/"
                + bobs.id())).header("Authorization", "Bearer " + key("cy")).DELETE().build());
        HttpResponse<String> unknown = gw.get("/v1/responses/resp_0000000000000000/input_items", key("cy"));

        assertThat(deleted.statusCode()).isEqualTo(404);
        JsonNode error = Json.MAPPER.readTree(deleted.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).startsWith("response_id: " + bobs.id());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(calls(mini, bobs.id())).isEmpty(); // the create is a POST to /v1/responses
        assertThat(store.usage("cy")).isEmpty();
    }

    @Test
    void deleteCancelAndInputItemsReachTheUpstream() {
        Response queued = create("dee", "gpt-4o", true);
        assertThat(queued.status()).contains(ResponseStatus.QUEUED);

        InputItemListPage items = sdk.of("dee").responses().inputItems().list(queued.id());
        Response cancelled = sdk.of("dee").responses().cancel(queued.id());
        sdk.of("dee").responses().delete(queued.id());

        assertThat(items.data()).singleElement().satisfies(item -> assertThat(item.asResponseInputMessageItem()
                .content().get(0).asInputText().text()).isEqualTo("Tell me a three sentence bedtime story."));
        assertThat(cancelled.status()).contains(ResponseStatus.CANCELLED);
        assertThat(calls(full, queued.id()).stream().map(r -> r.method() + " " + r.path()).toList()).containsExactly(
                "GET /v1/responses/" + queued.id() + "/input_items",
                "POST /v1/responses/" + queued.id() + "/cancel",
                "DELETE /v1/responses/" + queued.id());
        assertThatThrownBy(() -> sdk.of("dee").responses().retrieve(queued.id()))
                .isInstanceOf(NotFoundException.class); // the upstream's own 404, relayed
        assertThat(store.awaitUsage("dee", 5).stream().skip(1).map(r -> r.endpoint() + " " + r.statusCode() + " "
                + r.costNanos()).collect(Collectors.toList())).containsExactly("responses.input_items 200 0",
                "responses.cancel 200 0", "responses.delete 200 0", "responses.retrieve 404 0");
    }

    @Test
    void aStreamedCreateIsRecordedFromResponseCreatedAndRetrievedAsAStream() {
        String id;
        try (StreamResponse<ResponseStreamEvent> events = sdk.of("eve").responses().createStreaming(
                ResponseCreateParams.builder().model("gpt-4o-mini").input("Say hello").build())) {
            id = events.stream().filter(ResponseStreamEvent::isCreated).findFirst().orElseThrow()
                    .asCreated().response().id();
        }
        List<String> types;
        try (StreamResponse<ResponseStreamEvent> again = sdk.of("eve").responses().retrieveStreaming(id)) {
            types = again.stream().map(e -> e.isCompleted() ? "completed" : e.isCreated() ? "created" : "other")
                    .toList();
        }

        assertThat(types).startsWith("created").endsWith("completed");
        assertThat(calls(mini, id)).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
        UsageRow retrieve = store.awaitUsage("eve", 2).get(1);
        assertThat(retrieve.endpoint()).isEqualTo("responses.retrieve");
        assertThat(retrieve.stream()).isTrue();
        assertThat(retrieve.costNanos()).isZero();
    }

    @Test
    void anotherInstanceOnTheSameStoreFindsTheResponse() throws Exception {
        Response created = create("fay", "gpt-4o", false);

        HttpResponse<String> found = other.get("/v1/responses/" + created.id(), key("fay"));
        long deadline = System.currentTimeMillis() + 5_000;
        while (found.statusCode() == 404 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20); // the first instance writes its record just after the answer
            found = other.get("/v1/responses/" + created.id(), key("fay"));
        }

        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(found.body()).path("id").asString()).isEqualTo(created.id());
        assertThat(other.get("/v1/responses/" + created.id(), key("gus")).statusCode()).isEqualTo(404);
    }

    @Test
    void aUserWithoutBalanceStillCallsOnTheirResponsesFreeOfCharge() {
        Response created = create("hal", "gpt-4o-mini", false);
        store.awaitUsage("hal", 1);
        HttpResponse<String> deducted = admin("POST", "/api/admin/users/" + userId("hal") + "/topup",
                "{\"amount\":-20,\"note\":\"below zero\"}");
        assertThat(deducted.statusCode()).as(deducted.body()).isEqualTo(200);

        Response again = sdk.of("hal").responses().retrieve(created.id());
        HttpResponse<String> items = gw.get("/v1/responses/" + created.id() + "/input_items", key("hal"));

        assertThat(again.id()).isEqualTo(created.id());
        assertThat(items.statusCode()).as(items.body()).isEqualTo(200);
        assertThat(store.awaitUsage("hal", 3).stream().skip(1).map(r -> r.endpoint() + " " + r.statusCode() + " "
                + r.costNanos()).toList()).containsExactly("responses.retrieve 200 0", "responses.input_items 200 0");
        assertThat(gw.post("/v1/responses", key("hal"), "{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}")
                .statusCode()).as("a paid call is refused").isEqualTo(403);
    }

    @Test
    void aResponseWhoseChannelWasDeletedIsNotFoundAndNeverAsked() {
        Response created = create("ivy", "gpt-4.1-mini", false);
        HttpResponse<String> deleted = admin("DELETE", "/api/admin/channels/" + store.channelId("spare"), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);

        HttpResponse<String> gone = gw.get("/v1/responses/" + created.id(), key("ivy"));

        assertThat(gone.statusCode()).isEqualTo(404);
        JsonNode error = Json.MAPPER.readTree(gone.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("response_not_found");
        assertThat(error.path("message").asString()).contains("the channel that created it no longer exists");
        assertThat(calls(spare, created.id())).isEmpty();
    }

    private static HttpResponse<String> admin(String method, String path, String json) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static long userId(String name) {
        return gw.gateway().database().jdbi().withHandle(h -> h.createQuery("SELECT id FROM users WHERE name = :n")
                .bind("n", name).mapTo(Long.class).one());
    }
}

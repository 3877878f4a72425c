package dev.antler.midjourney;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code Idempotency-Key} on {@code /mj/submit/imagine}: a repeat gets the first answer (same task, one charge),
 * the key cannot be reused for another body, and a submit that ended without a task frees its key.
 */
class MjIdempotencyTest {

    private static final String ALICE = MidjourneyFlowTest.ALICE;
    private static final String IMAGINE = "/mj/submit/imagine";
    private static final String FOX = "{\"prompt\":\"a red fox\"}";
    private static final long PRICE = Usd.parse("0.05");

    private FakeMidjourney upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeMidjourney();
        gw = GatewayHarness.start(MidjourneyFlowTest.yaml(upstream, "{ poll_interval_ms: 600000 }"));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private HttpResponse<String> submit(String idempotencyKey, String body) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + IMAGINE))
                .header("Authorization", "Bearer " + ALICE)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }

    private List<String> taskIds() {
        return gw.gateway().tasks().store().list(null, null, null, 100, 0).stream()
                .map(dev.antler.tasks.Task::publicId).toList();
    }

    @Test
    void aRepeatGetsTheSameTaskAndIsChargedOnce() {
        HttpResponse<String> first = submit("imagine-fox-1", FOX);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        String id = json(first).path("result").asString();

        HttpResponse<String> again = submit("imagine-fox-1", FOX);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(json(again).path("result").asString()).isEqualTo(id);

        assertThat(upstream.submits).hasSize(1);
        assertThat(taskIds()).containsExactly(id);
        List<StoreView.UsageRow> rows = store.awaitUsage("alice", 2);
        assertThat(rows).extracting(StoreView.UsageRow::costNanos).containsExactly(PRICE, 0L);
        assertThat(rows.get(1).error()).isEqualTo("idempotent replay");
        assertThat(store.ledger("alice", "charge")).containsExactly(-PRICE);
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - PRICE).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void twoConcurrentSubmitsWithOneKeyMakeOneTask() throws Exception {
        upstream.stall();
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> submit("together", FOX));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.submits.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> submit("together", FOX));
        Thread.sleep(100); // the second waits for the first's answer
        upstream.release();

        HttpResponse<String> a = first.get(10, TimeUnit.SECONDS);
        HttpResponse<String> b = second.get(10, TimeUnit.SECONDS);
        assertThat(json(a).path("result").asString()).isEqualTo(json(b).path("result").asString());
        assertThat(b.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(upstream.submits).hasSize(1);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-PRICE);
    }

    @Test
    void theKeyWithAnotherBodyIsRefusedWith422() {
        assertThat(submit("fox-or-cat", FOX).statusCode()).isEqualTo(200);

        HttpResponse<String> other = submit("fox-or-cat", "{\"prompt\":\"a cat\"}");
        assertThat(other.statusCode()).isEqualTo(422);
        JsonNode body = json(other);
        assertThat(body.path("code").asInt()).isEqualTo(4);
        assertThat(body.path("type").asString()).isEqualTo("idempotency_key_reused");
        assertThat(body.path("description").asString()).startsWith("Idempotency-Key: fox-or-cat (expected: a new key");
        assertThat(upstream.submits).hasSize(1);

        HttpResponse<String> otherRoute = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl()
                        + "/mj-relax/mj/submit/imagine"))
                .header("Authorization", "Bearer " + ALICE).header("Idempotency-Key", "fox-or-cat")
                .POST(HttpRequest.BodyPublishers.ofString(FOX)).build());
        assertThat(otherRoute.statusCode()).as("the key is bound to its route too").isEqualTo(422);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-PRICE);
    }

    @Test
    void aRefusedSubmitFreesItsKeySoTheRetrySubmitsAgain() {
        upstream.script(1, 200, "{\"code\":24,\"description\":\"可能包含敏感词\",\"properties\":{\"bannedWord\":\"fox\"}}");
        HttpResponse<String> refused = submit("retry-me", FOX);
        assertThat(json(refused).path("code").asInt()).as(refused.body()).isEqualTo(24);

        HttpResponse<String> retried = submit("retry-me", FOX);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).as("not a replay").isEmpty();
        assertThat(json(retried).path("code").asInt()).as(retried.body()).isEqualTo(1);
        assertThat(upstream.submits).hasSize(2);

        HttpResponse<String> repeated = submit("retry-me", FOX);
        assertThat(repeated.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(json(repeated).path("result").asString()).isEqualTo(json(retried).path("result").asString());
        assertThat(upstream.submits).hasSize(2);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-PRICE);
    }

    @Test
    void aFailedSubmitFreesItsKeyToo() {
        upstream.script(1, 500, "{}");
        assertThat(submit("after-a-500", FOX).statusCode()).isEqualTo(502);
        HttpResponse<String> retried = submit("after-a-500", FOX);
        assertThat(json(retried).path("code").asInt()).as(retried.body()).isEqualTo(1);
        assertThat(upstream.submits).hasSize(2);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-PRICE);
    }

    @Test
    void aKeyThatCannotBeCompletedDoesNotUndoTheOpenedTask() {
        // The store refuses to keep the answer for the key, after the task was stored: the task stands (the
        // upstream took the work), so the client gets it and is charged, now rather than at the next start.
        gw.gateway().database().jdbi().useHandle(h -> h.execute("CREATE TRIGGER keep_no_answer BEFORE UPDATE ON "
                + "idempotency_keys WHEN NEW.state = 'done' BEGIN SELECT RAISE(ABORT, 'injected fault'); END"));
        HttpResponse<String> answer = submit("unkept", FOX);
        gw.gateway().database().jdbi().useHandle(h -> h.execute("DROP TRIGGER keep_no_answer"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = json(answer).path("result").asString();
        assertThat(taskIds()).containsExactly(id);
        gw.awaitLedger();
        assertThat(gw.gateway().tasks().store().find(id).orElseThrow().charge().chargeState()).isEqualTo("charged");
        assertThat(store.ledger("alice", "charge")).containsExactly(-PRICE);
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void aBlankOrOverlongKeyIsRefusedWith400BeforeAnythingIsSent() {
        String blank = RawHttp.exchange(gw.port(), "POST " + IMAGINE + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + ALICE + "\r\nContent-Type: application/json\r\nIdempotency-Key: \r\nContent-Length: " + FOX.length()
                + "\r\nConnection: close\r\n\r\n", FOX.getBytes());
        assertThat(blank).startsWith("HTTP/1.1 400").contains("\"code\":4").contains("Idempotency-Key: blank");

        HttpResponse<String> tooLong = submit("k".repeat(300), FOX);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).path("code").asInt()).isEqualTo(4);
        assertThat(json(tooLong).path("description").asString())
                .isEqualTo("Idempotency-Key: 300 characters (expected: 1 to 191 characters, e.g. a UUID)");

        assertThat(upstream.submits).isEmpty();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
    }
}

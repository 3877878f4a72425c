package dev.antler.suno;

import static dev.antler.suno.SunoGateway.ALICE;
import static dev.antler.suno.SunoGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on Suno submits: one task and one charge per key, whatever the repeats. */
class SunoIdempotencyTest {

    private static final String SONG = "{\"gpt_description_prompt\":\"a song about keys\"}";

    private FakeSuno upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() {
        upstream = FakeSuno.start();
        gw = SunoGateway.start(upstream);
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private HttpRequest submit(String key, String body) {
        return HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/suno/submit/music"))
                .header("Authorization", "Bearer " + ALICE).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void aRepeatGetsTheSameAnswerUnchargedAndAnotherBodyWithTheKeyIs422() {
        HttpResponse<String> first = gw.send(submit("key-1", SONG));
        HttpResponse<String> again = gw.send(submit("key-1", SONG));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(json(again).path("data").asString()).startsWith("task_");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        HttpResponse<String> other = gw.send(submit("key-1", "{\"gpt_description_prompt\":\"another song\"}"));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(json(other).path("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(json(other).path("data").isNull()).isTrue();

        assertThat(upstream.count("POST", "/suno/submit/music")).isEqualTo(1);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.30"));
        assertThat(gw.gateway().tasks().store().list(null, "suno", null, 10, 0)).hasSize(1);
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
    }

    @Test
    void twentyConcurrentSubmitsWithOneKeyMakeOneTaskAndOneCharge() {
        upstream.enqueue(FakeSuno.Reply.delayed(300)); // the first submit is still running when the others arrive
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(gw.http().sendAsync(submit("key-concurrent", SONG), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ids = new HashSet<>();
        int replayed = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> r = call.join();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ids.add(json(r).path("data").asString());
            replayed += r.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
        }
        assertThat(ids).hasSize(1);
        assertThat(ids.iterator().next()).startsWith("task_");
        assertThat(replayed).isEqualTo(19);
        assertThat(upstream.count("POST", "/suno/submit/music")).isEqualTo(1);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.30"));
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - Usd.parse("0.30"));
        assertThat(store.ledgerSum("alice")).isEqualTo(store.balance("alice"));
    }
}

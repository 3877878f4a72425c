package dev.antler.clips;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.family.Families;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskPoller;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A family from outside the gateway's own code, registered with one line, billed in the three stages of a task
 * priced per unit: held for the seconds asked; charged, when the upstream accepts, for the seconds it says it
 * will make (else those asked); settled at completion on the seconds made — each stage once, however many pollers
 * and client fetches see the completion; a failure refunds in full.
 */
class ClipsBillingTest {

    private static final long SECOND = Usd.parse(ClipsFamily.PRICE_PER_SECOND);
    private static final long OPENING = Usd.parse("10");

    private FakeClips upstream;
    private GatewayHarness gw;
    private StoreView store;

    /** The built-in families and the clips family: the one registration line. */
    static Families withClips() {
        return new Families(Stream.concat(Families.builtIn().all().stream(), Stream.of(new ClipsFamily())).toList());
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeClips();
        startGateway("");
    }

    /** The gateway with the clips family; {@code sections}: more YAML sections (they replace the defaults). */
    private void startGateway(String sections) {
        gw = GatewayHarness.start("""
                channels: [{ name: clips, type: clips, base_url: "%s", key: %s, models: [clip-1] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: thrifty, balance: 0.05, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                %s""".formatted(upstream.baseUrl(), FakeClips.KEY, TestUsers.key("alice"), TestUsers.key("thrifty"),
                sections), Clock.systemUTC(), withClips());
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private HttpResponse<String> submit(String user, int seconds) {
        return gw.post("/clips/v1/videos", TestUsers.key(user),
                "{\"model\":\"clip-1\",\"seconds\":" + seconds + "}");
    }

    /** A clip of {@code seconds} for alice, accepted; its charge written. */
    private String clip(int seconds) {
        HttpResponse<String> answer = submit("alice", seconds);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("id").asString();
        assertThat(id).isNotEqualTo(upstream.lastId()).as("the client sees the gateway's id");
        gw.awaitLedger();
        return id;
    }

    private JsonNode fetch(String id) {
        HttpResponse<String> answer = gw.get("/clips/v1/videos/" + id, TestUsers.key("alice"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private Task task(String id) {
        return gw.gateway().tasks().store().find(id).orElseThrow();
    }

    /** Polls and client fetches, several of each, after the upstream finished. */
    private void observeOften(String id) {
        TaskPoller poller = gw.gateway().tasks().poller();
        for (int i = 0; i < 3; i++) {
            poller.pollOnce();
            fetch(id);
        }
        gw.awaitLedger();
    }

    private void assertBalanced(String user) {
        assertThat(store.balance(user)).isEqualTo(store.ledgerSum(user));
    }

    @Test
    void aClipIsHeldForTheSecondsAskedAndChargedForThemWhenAccepted() {
        HttpResponse<String> tooLong = submit("thrifty", 10);
        assertThat(tooLong.statusCode()).as("10 s at 0.01 need 0.10; 0.05 are there").isEqualTo(403);
        JsonNode error = Json.MAPPER.readTree(tooLong.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("insufficient_quota");
        assertThat(error.path("message").asString()).isEqualTo("insufficient balance: 0.05 USD available, this request needs up to 0.10 USD");
        assertThat(upstream.submitted).isEmpty();

        HttpResponse<String> fits = submit("thrifty", 5);
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(200);
        assertThat(upstream.submitted).containsExactly(5);
        StoreView.UsageRow row = store.onlyUsage("thrifty");
        assertThat(row.endpoint()).isEqualTo("clips.submit");
        assertThat(row.costNanos()).isEqualTo(5 * SECOND);
        assertThat(store.ledger("thrifty", "charge")).containsExactly(-5 * SECOND);
        assertThat(store.balance("thrifty")).isZero();
        assertBalanced("thrifty");
    }

    @Test
    void fewerSecondsMadeThanAskedAreRefundedOnce() {
        String id = clip(10);
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * SECOND);
        upstream.running(upstream.lastId());
        assertThat(fetch(id).path("status").asString()).isEqualTo("in_progress");

        upstream.finish(upstream.lastId(), 6);
        observeOften(id);

        assertThat(fetch(id).path("seconds_charged").asLong()).isEqualTo(6);
        assertThat(store.ledger("alice", "refund")).containsExactly(4 * SECOND);
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 6 * SECOND);
        assertThat(store.used("alice")).as("the settlement moves the used total too").isEqualTo(6 * SECOND);
        Task task = task(id);
        assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(task.charge().costNanos()).isEqualTo(6 * SECOND);
        assertThat(task.charge().units()).isEqualTo(6);
        assertThat(task.charge().settleState()).isEqualTo("settled");
        assertBalanced("alice");
    }

    @Test
    void moreSecondsMadeThanAskedAreChargedOnce() {
        String id = clip(10);
        upstream.finish(upstream.lastId(), 12);
        observeOften(id);

        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * SECOND, -2 * SECOND);
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 12 * SECOND);
        assertThat(task(id).charge().costNanos()).isEqualTo(12 * SECOND);
        assertBalanced("alice");
    }

    @Test
    void exactlyTheSecondsAskedMovesNoMoney() {
        String id = clip(10);
        upstream.finish(upstream.lastId(), 10);
        observeOften(id);

        assertThat(task(id).charge().settleState()).isEqualTo("settled");
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * SECOND);
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 10 * SECOND);
    }

    @Test
    void theSecondsTheUpstreamAcceptsAreChargedNotThoseAsked() {
        upstream.maxSeconds = 8;
        String id = clip(10);
        assertThat(store.ledger("alice", "charge")).as("charged on acceptance for 8 s").containsExactly(-8 * SECOND);
        assertThat(task(id).charge().units()).isEqualTo(8);

        upstream.finish(upstream.lastId(), 8);
        observeOften(id);
        assertThat(store.ledger("alice", "charge")).containsExactly(-8 * SECOND);
        assertThat(store.ledger("alice", "refund")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 8 * SECOND);
        assertBalanced("alice");
    }

    @Test
    void aFailureRefundsInFullOnce() {
        String id = clip(10);
        upstream.fail(upstream.lastId(), "the renderer crashed");
        observeOften(id);

        JsonNode shown = fetch(id);
        assertThat(shown.path("status").asString()).isEqualTo("failure");
        assertThat(shown.path("error").asString()).isEqualTo("the renderer crashed");
        assertThat(store.ledger("alice", "refund")).containsExactly(10 * SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertThat(store.used("alice")).isZero();
        assertThat(task(id).refunded()).isTrue();
        assertBalanced("alice");
    }

    @Test
    void racingPollersAndClientFetchesSettleEachClipOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> upstreamIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(clip(10));
            upstreamIds.add(upstream.lastId());
        }
        upstream.finish(upstreamIds.get(0), 6);   // refund 4 s
        upstream.finish(upstreamIds.get(1), 12);  // charge 2 s more
        upstream.finish(upstreamIds.get(2), 10);  // no change
        upstream.fail(upstreamIds.get(3), "gone"); // refund 10 s

        TaskPoller poller = gw.gateway().tasks().poller();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            boolean polls = t % 2 == 0;
            runs.add(threads.submit(() -> {
                go.await();
                if (polls) {
                    poller.pollOnce();
                } else {
                    ids.forEach(this::fetch);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> run : runs) {
            run.get();
        }
        threads.shutdown();
        gw.awaitLedger();

        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * SECOND, -10 * SECOND, -10 * SECOND,
                -10 * SECOND, -2 * SECOND);
        assertThat(store.ledger("alice", "refund")).containsExactlyInAnyOrder(4 * SECOND, 10 * SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - (6 + 12 + 10) * SECOND);
        assertThat(store.used("alice")).isEqualTo((6 + 12 + 10) * SECOND);
        assertThat(ids.stream().map(this::task).map(Task::status)).containsExactly(TaskStatus.SUCCESS,
                TaskStatus.SUCCESS, TaskStatus.SUCCESS, TaskStatus.FAILURE);
        assertBalanced("alice");
    }

    @Test
    void aCompletionSeenBeforeTheChargeIsWrittenIsSettledBehindIt() {
        gw.close();
        startGateway("billing: { flush_interval_ms: 1000, dead_letter_reserve_bytes: 0 }\n");
        HttpResponse<String> answer = submit("alice", 10);
        String id = Json.MAPPER.readTree(answer.body()).path("id").asString();
        // The writer lingers a second before it writes the charge: the task's charge is still pending.
        assertThat(task(id).charge().chargeState()).isEqualTo("pending");
        upstream.finish(upstream.lastId(), 6);

        assertThat(fetch(id).path("status").asString()).isEqualTo("success");
        gw.awaitLedger();
        gw.gateway().tasks().poller().pollOnce();
        gw.awaitLedger();

        Task task = task(id);
        assertThat(task.charge().chargeState()).isEqualTo("charged");
        assertThat(task.charge().settleState()).isEqualTo("settled");
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * SECOND);
        assertThat(store.ledger("alice", "refund")).containsExactly(4 * SECOND);
        assertThat(store.balance("alice")).isEqualTo(OPENING - 6 * SECOND);
        assertBalanced("alice");
    }
}

package dev.antler.images;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.tasks.OwnTasks;
import dev.antler.tasks.SubmitCost;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskDraft;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskSubmit;
import dev.antler.tasks.TaskWaiters;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * OpenAI's images route served by an async image family: the family's own submit does every step (inspection,
 * routing, hold, the task — polled, settled and refunded as any other of the family's tasks), and the request then
 * waits for the task, up to {@code tasks.image_wait_seconds}: a finished task answers OpenAI's images shape with
 * the gateway's result links (or the bytes, for {@code b64_json}); a failed one an error (its charge refunded by the
 * engine); one still running a 504 naming the task id and where to fetch it. Refusals come in OpenAI's envelope.
 */
final class ImagesViaTask<D> implements TaskSubmit<D> {

    /** What waiting needs from the gateway. */
    record Waiting(TaskWaiters waiters, TaskResults results, ImageFetch fetch, ExecutorService blocking, long waitMs,
                   Clock clock) {}

    private final ImageDialect dialect;
    private final TaskSubmit<D> family;
    private final ClientRequest request;
    private final ImageAsk ask;
    private final Waiting waiting;

    ImagesViaTask(ImageDialect dialect, TaskSubmit<D> family, ClientRequest request, ImageAsk ask, Waiting waiting) {
        this.dialect = requireNonNull(dialect, "dialect");
        this.family = requireNonNull(family, "family");
        this.request = requireNonNull(request, "request");
        this.ask = requireNonNull(ask, "ask");
        this.waiting = requireNonNull(waiting, "waiting");
    }

    @Override
    public String name() {
        return "images.generations";
    }

    @Override
    public Set<String> channelTypes() {
        return family.channelTypes();
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<D> inspect(ClientRequest client) {
        return family.inspect(request);
    }

    @Override
    public String family(Intent<D> intent) {
        return family.family(intent);
    }

    @Override
    public Intent<D> resolve(Intent<D> intent, OwnTasks own) {
        return family.resolve(intent, own);
    }

    @Override
    public List<List<Channel>> tiers(ChannelRegistry registry, String group, Intent<D> intent) {
        return family.tiers(registry, group, intent);
    }

    @Override
    public List<String> priceKeys(Intent<D> intent) {
        return family.priceKeys(intent);
    }

    @Override
    public String endpoint(Intent<D> intent) {
        return name();
    }

    @Override
    public Long pinnedChannel(Intent<D> intent) {
        return family.pinnedChannel(intent);
    }

    @Override
    public long units(Intent<D> intent) {
        return family.units(intent);
    }

    @Override
    public Long unitPrice(Price price) {
        return family.unitPrice(price);
    }

    @Override
    public Usage usage(long units) {
        return family.usage(units);
    }

    @Override
    public SubmitCost cost(Intent<D> intent, Price price, long multiplierPpm, Long reportedUnits) {
        return family.cost(intent, price, multiplierPpm, reportedUnits);
    }

    @Override
    public long holdEstimate(Intent<D> intent, Price price, HoldBasis basis) {
        return family.holdEstimate(intent, price, basis);
    }

    @Override
    public ResponseTap newTap(Intent<D> intent, Channel channel) {
        return family.newTap(intent, channel);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<D> intent, Channel channel, ClientRequest client) {
        return family.upstreamRequest(intent, channel, request);
    }

    @Override
    public SubmitReply read(Intent<D> intent, Channel channel, int status, byte[] body) {
        SubmitReply reply = family.read(intent, channel, status, body);
        return reply instanceof SubmitReply.Refused refused ? new SubmitReply.Refused(refused.status(),
                OpenAiErrorFormat.upstreamRefusal(refused.answer()), refused.why()) : reply;
    }

    @Override
    public TaskDraft draft(Intent<D> intent, SubmitReply.Accepted accepted) {
        return family.draft(intent, accepted);
    }

    /** The family's own answer: what an {@code Idempotency-Key} replay of this request is given. */
    @Override
    public byte[] answer(Intent<D> intent, Task task, SubmitReply.Accepted accepted, String requestId) {
        return family.answer(intent, task, accepted, requestId);
    }

    @Override
    public String newPublicId(Intent<D> intent, long now) {
        return family.newPublicId(intent, now);
    }

    /** Waits for the task, then answers as OpenAI's images route would. */
    @Override
    public CompletionStage<Delivery> deliver(Intent<D> intent, Task task, byte[] answer) {
        return waiting.waiters().finished(task, waiting.waitMs()).thenComposeAsync(this::delivery, waiting.blocking());
    }

    private CompletionStage<Delivery> delivery(Task task) {
        if (task.status() == TaskStatus.SUCCESS) {
            List<String> links = waiting.results().links(task);
            List<ImageDialect.Image> images = links.stream().map(url -> new ImageDialect.Image(url, null, null)).toList();
            List<Future<String>> encoded = new ArrayList<>();
            for (int n = 0; n < links.size(); n++) {
                encoded.add(ask.base64() ? base64(task, n) : Future.succeededFuture(null));
            }
            return OpenAiImages.render(waiting.clock().millis() / 1000, images, encoded, ask.base64())
                    .thenApply(Delivery.Answer::new);
        }
        if (task.status().terminal()) {
            return CompletableFuture.completedFuture(new Delivery.Failure(new GatewayException(502, ErrorKind.UPSTREAM,
                    "image_failed", "task " + task.publicId() + ": " + (task.failReason() == null ? "failed"
                    : task.failReason()) + " (its charge is refunded; expected: a prompt and settings the model "
                    + "accepts)")));
        }
        return CompletableFuture.completedFuture(new Delivery.Failure(new GatewayException(504, ErrorKind.UPSTREAM,
                "image_pending", "task " + task.publicId() + " is still running after " + waiting.waitMs() / 1000
                + " s (expected: fetch it with " + dialect.fetchHint(task.publicId()) + "; it is billed when it "
                + "completes and refunded if it fails)")));
    }

    /** Result {@code n}'s bytes as base64: from the gateway's copy, else the upstream's file. Blocking lookup. */
    private Future<String> base64(Task task, int n) {
        TaskResults.Located located = waiting.results().locate(task, n);
        Future<byte[]> copy = located.copy() != null && located.copy().size() <= ImageFetch.MAX_BYTES
                ? waiting.results().read(located.copy()) : Future.failedFuture("no copy");
        return copy.recover(noCopy -> located.file() == null ? Future.failedFuture("no such result") // swept meanwhile too
                        : waiting.fetch().bytes(located.file().url(), located.file().headers()))
                .map(bytes -> Base64.getEncoder().encodeToString(bytes));
    }
}

package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.tasks.ResultLinks;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /kling/callback/{channel id}-{token}}: Kling reporting a task (its {@code data} object as the body),
 * when it was given the gateway's {@code callback_url} at submit ({@link KlingSubmit}, with a public base URL). The
 * callback token differs from the result links' token: the client sees those, only Kling this one, so no client can
 * report its own task done. The task is the one the body's {@code task_id} names on that channel, and only if the token is its own (compared in
 * constant time); otherwise 404 and nothing changes. The report is applied through the engine with the mapping a
 * poll uses, so a completion settles (and is copied) exactly as a poll's would; the answer is 200.
 */
final class KlingCallbacks {

    static final String PATH = "/kling/callback/";
    static final int MAX_BODY = 256 * 1024;

    private final FamilyContext context;
    private final KlingTasks family;

    KlingCallbacks(FamilyContext context, KlingTasks family) {
        this.context = requireNonNull(context, "context");
        this.family = requireNonNull(family, "family");
    }

    void handle(Exchange ex) {
        String token = ex.request().path().substring(PATH.length());
        int dash = token.indexOf('-');
        if (ex.request().method() != io.vertx.core.http.HttpMethod.POST || dash < 1
                || !token.substring(0, dash).matches("\\d{1,18}")) {
            ex.fail(notFound());
            return;
        }
        long channelId = Long.parseLong(token.substring(0, dash));
        String secret = token.substring(dash + 1);
        Buffer body = Buffer.buffer();
        ex.request().handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                ex.request().connection().close();
                return;
            }
            body.appendBuffer(chunk);
        });
        ex.request().endHandler(v -> Future.fromCompletionStage(CompletableFuture.supplyAsync(
                                () -> apply(channelId, secret, body.getBytes()), context.blocking()),
                        context.relay().services().vertx().getOrCreateContext())
                .onSuccess(ignored -> ex.json(200, Buffer.buffer("{\"code\":0,\"message\":\"SUCCEED\"}")))
                .onFailure(ex::fail));
    }

    /** Blocking: the report applied to its task. */
    private Void apply(long channelId, String secret, byte[] bytes) {
        JsonNode data = KlingSubmit.parse(bytes);
        String upstreamId = data == null ? "" : data.path("task_id").asString("");
        Task task = upstreamId.isEmpty() ? null : context.tasks().store()
                .findByUpstream(KlingTasks.FAMILY, channelId, upstreamId).stream()
                .filter(t -> ResultLinks.matches(t, "callback_token", secret)).findFirst().orElse(null);
        if (task == null) {
            throw notFound();
        }
        TaskUpdate update = KlingTasks.update(data, task);
        if (update == null) {
            throw new GatewayException(400, ErrorKind.INVALID_REQUEST, "invalid_callback", "task_status: "
                    + data.path("task_status").asString("") + " (expected: one of Kling's task statuses)");
        }
        if (!task.status().terminal()) {
            context.tasks().engine().apply(task, update);
        }
        return null;
    }

    private static GatewayException notFound() {
        return GatewayException.notFound("not_found", "callback: unknown (expected: the callback_url the gateway "
                + "gave with the task)");
    }
}

package dev.antler.videogen;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.RelayServices;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.Tasks;
import dev.antler.tasks.VideoDialect;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/video/generations/{task_id}}: the caller's own task of any video dialect's family (another
 * user's, or another family's, is a 404 like an unknown one), refreshed once from the upstream while unfinished —
 * through the engine, so a completion it sees settles exactly as a poll would — and answered in new-api's task
 * envelope. Logged at zero cost.
 */
final class GenericQueries {

    private final FamilyContext context;
    private final RelayServices services;
    private final Tasks tasks;

    GenericQueries(FamilyContext context) {
        this.context = requireNonNull(context, "context");
        this.services = context.relay().services();
        this.tasks = context.tasks();
    }

    /**
     * new-api's status words:
     * <pre>
     *   NOT_START, SUBMITTED, QUEUED → queued      IN_PROGRESS, MODAL → processing
     *   SUCCESS                      → succeeded   FAILURE, CANCEL    → failed
     * </pre>
     */
    static String status(TaskStatus status) {
        return switch (status) {
            case NOT_START, SUBMITTED, QUEUED -> "queued";
            case IN_PROGRESS, MODAL -> "processing";
            case SUCCESS -> "succeeded";
            case FAILURE, CANCEL -> "failed";
        };
    }

    void one(Exchange ex, String taskId) {
        String base = publicBase(ex);
        context.relay().authenticated(ClientKey.of(ex.request()), principal -> one(principal, taskId, base, ex))
                .onSuccess(body -> ex.json(200, Buffer.buffer(Json.bytes(body))))
                .onFailure(ex::fail);
    }

    private ObjectNode one(Principal principal, String taskId, String base, Exchange ex) {
        Task task = tasks.store().find(taskId)
                .filter(t -> t.userId() == principal.user().id() && !t.deleted()).orElse(null);
        VideoDialect dialect = task == null ? null : tasks.videoDialects().byFamily(task.family()).orElse(null);
        if (dialect == null) {
            throw GatewayException.notFound("task_not_found", "task_id: " + taskId
                    + " (expected: the id of one of your video generations)");
        }
        TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(task, dialect::fetch);
        Task shown = refreshed.task();
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), GenericSubmit.NAME + ".fetch",
                task.family(), refreshed.channelId(), 200, ex.elapsedMillis(), "complete", refreshed.error());
        ObjectNode data = Json.object();
        data.put("task_id", shown.publicId());
        data.put("status", status(shown.status()));
        data.setAll(dialect.view(shown, base));
        ObjectNode root = Json.object();
        root.put("code", "success");
        root.put("message", "");
        root.set("data", data);
        return root;
    }

    /** The configured public base URL, else the one the client addressed. */
    private String publicBase(Exchange ex) {
        if (context.publicBaseUrl() != null) {
            return context.publicBaseUrl().replaceAll("/+$", "");
        }
        String host = ex.request().authority() != null ? ex.request().authority().toString()
                : ex.request().getHeader("Host");
        String scheme = ex.request().scheme() == null ? "http" : ex.request().scheme();
        return scheme + "://" + host;
    }
}

package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Runway family for the task engine: one call per task, under the channel's timeouts — {@code GET
 * {base}/v1/tasks/{id}} on a {@code runway} channel, {@code POST {base}/runway/feed {"task_id"}} on a
 * {@code runway-compat} one. A 429 backs the channel off. A 404 (Runway's task not visible yet right after its
 * create, the reverse format's {@code task_not_exist}) is no news: the task is asked about again until it shows, or
 * the timeout sweep ends it. A success is settled on the seconds its video has ({@link OutputSeconds}), at most those
 * held; when they cannot be read the charge held stands. Tasks are shown, and their webhooks sent, in the format they were asked in.
 */
final class RunwayTasks implements OneByOne {

    static final String FAMILY = "runway";
    /** {@link Task#mode()} of a task asked in Runway's format. */
    static final String OFFICIAL_MODE = "official";
    /** {@link Task#mode()} of a task asked in the reverse format. */
    static final String COMPAT_MODE = "compat";

    private final TaskUpstream upstream;
    private final OutputSeconds seconds;
    private final Links links;

    RunwayTasks(TaskUpstream upstream, OutputSeconds seconds, Links links) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.seconds = requireNonNull(seconds, "seconds");
        this.links = requireNonNull(links, "links");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    /** The upstream's view of {@code task}, or null when it gave none; blocking. */
    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        boolean compat = RunwayFamily.COMPAT.name().equals(channel.type());
        TaskUpstream.Reply reply;
        if (compat) {
            ObjectNode ask = Json.object();
            ask.put("task_id", task.upstreamId());
            reply = upstream.poll(channel, "POST", channel.url("/runway/feed"), auth(channel), Json.bytes(ask));
        } else {
            Map<String, String> headers = Map.of(RunwayFamily.OFFICIAL.auth().name(),
                    RunwayFamily.OFFICIAL.auth().value(channel), RunwayInput.VERSION_HEADER, version(task));
            reply = upstream.poll(channel, "GET", channel.url("/v1/tasks/" + task.upstreamId()), headers, null);
        }
        JsonNode root = reply.status() == 200 ? Json.objectOrNull(reply.body()) : null;
        if (root == null) {
            return null;
        }
        if (compat) {
            JsonNode data = root.path("data");
            return root.path("code").asInt(-1) == 200 && data.isObject() && data.has("task_id")
                    ? update(task, RunwayReport.compat(data), data) : null;
        }
        return update(task, RunwayReport.official(root), root);
    }

    private TaskUpdate update(Task task, RunwayReport report, JsonNode payload) {
        if (report.status() == null) {
            return null;
        }
        String kept = Json.MAPPER.writeValueAsString(payload);
        return switch (report.status()) {
            case SUCCESS -> {
                TaskUpdate done = new TaskUpdate(TaskStatus.SUCCESS, "100%", null, kept, null);
                Long made = report.videos().isEmpty() ? null : seconds.of(report.videos().get(0));
                // The hold bounds what a request can cost: a longer video (or a wrong header) is not charged more.
                yield made == null ? done : done.withUnits(Math.min(made, task.charge().units()));
            }
            case FAILURE -> new TaskUpdate(TaskStatus.FAILURE, task.progress(),
                    report.failure() != null ? report.failure() : "failed", kept, null);
            case CANCEL -> new TaskUpdate(TaskStatus.CANCEL, task.progress(), "cancelled", kept, null);
            case IN_PROGRESS -> new TaskUpdate(TaskStatus.IN_PROGRESS, report.progress() != null
                    ? Math.round(report.progress() * 100) + "%" : task.progress() == null ? "0%" : task.progress(),
                    null, kept, null);
            default -> new TaskUpdate(report.status(), "0%", null, kept, null);
        };
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(COMPAT_MODE.equals(task.mode()) ? CompatView.data(task, links)
                : RunwayTaskView.of(task, links));
    }

    /** Runway has no webhooks; the reverse format calls the client's {@code callback_url} once, when it is finished. */
    @Override
    public boolean webhookWanted(Task task) {
        return task.status().terminal();
    }

    static Map<String, String> auth(Channel channel) {
        return Map.of(RunwayFamily.COMPAT.auth().name(), RunwayFamily.COMPAT.auth().value(channel));
    }

    /** The {@code X-Runway-Version} the task was created with. */
    static String version(Task task) {
        JsonNode facts = task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
        return facts.path("version").asString(RunwayInput.DEFAULT_VERSION);
    }
}

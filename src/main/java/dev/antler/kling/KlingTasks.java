package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.PollStrategy;
import dev.antler.tasks.Task;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kling family for the task engine: one {@code GET {base}/v1/{videos|images}/{action}/{upstream id}} per task
 * (Kling has no batch query), under the channel's timeouts; 429 backs the channel off. A success reports what was
 * made — the seconds of the videos (each {@code duration} rounded), or the number of images — on which a task
 * priced per second or per image is settled; a task priced per Kling unit is settled on the units Kling reports
 * it deducted ({@link KlingUnits#reported}), the charge standing when it reports none. Kling's whole report,
 * {@code final_unit_deduction} included, is kept as the task's payload whatever the task is priced by. The status
 * words are mapped by {@link KlingStatus}. With callbacks on ({@link KlingCallbacks}) polling is only the fallback.
 */
final class KlingTasks implements OneByOne {

    static final String FAMILY = "kling";
    /** The task fact naming the price of one Kling unit, present when the task is priced per unit. */
    static final String UNIT_PRICE_KEY = "unit_price_key";

    /** With callbacks on, a task Kling has not reported on for this long is polled. */
    static final long CALLBACK_FALLBACK_MS = 120_000;

    private final TaskUpstream upstream;
    private final KlingAuth auth;
    private final boolean callbacks;

    /** @param callbacks whether Kling is asked to call back (polling is then the fallback) */
    KlingTasks(TaskUpstream upstream, KlingAuth auth, boolean callbacks) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.auth = requireNonNull(auth, "auth");
        this.callbacks = callbacks;
    }

    @Override
    public String name() {
        return FAMILY;
    }

    @Override
    public PollStrategy polling() {
        return callbacks ? PollStrategy.callback(CALLBACK_FALLBACK_MS) : PollStrategy.single();
    }

    /** The upstream's view of {@code task}, or null when it gave none; blocking. */
    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        KlingAction action = action(task);
        TaskUpstream.Reply reply = upstream.poll(channel, "GET",
                url(channel, action.submitPath() + "/" + task.upstreamId()),
                Map.of(KlingFamily.CHANNEL_TYPE.auth().name(), auth.header(channel)), null);
        JsonNode root = reply.status() == 200 ? KlingSubmit.parse(reply.body()) : null;
        return root == null || root.path("code").asInt(-1) != 0 ? null : update(root.path("data"), task);
    }

    /** {@code task}'s update from Kling's {@code data} object, or null when its status is not one Kling documents. */
    static TaskUpdate update(JsonNode data, Task task) {
        TaskStatus status = KlingStatus.toTask(data.path("task_status").asString(""));
        if (status == null) {
            return null;
        }
        String payload = Json.MAPPER.writeValueAsString(data);
        return switch (status) {
            case SUCCESS -> {
                TaskUpdate done = new TaskUpdate(status, "100%", null, payload, null);
                Long made = perUnit(task) ? KlingUnits.reported(data) : made(data.path("task_result"), action(task));
                yield made == null ? done : done.withUnits(made);
            }
            case FAILURE -> new TaskUpdate(status, "100%", data.path("task_status_msg").asString("failed"), payload,
                    null);
            case IN_PROGRESS -> new TaskUpdate(status, "50%", null, payload, null);
            default -> new TaskUpdate(status, "0%", null, payload, null);
        };
    }

    /** What a finished task made, in its billing unit; null when per call or not reported. */
    static Long made(JsonNode result, KlingAction action) {
        return switch (action.billing) {
            case SECONDS -> {
                if (!result.path("videos").isArray() || result.path("videos").isEmpty()) {
                    yield null;
                }
                long seconds = 0;
                for (JsonNode video : result.path("videos")) {
                    try {
                        seconds += Math.round(Double.parseDouble(video.path("duration").asString("")));
                    } catch (NumberFormatException e) {
                        yield null; // a duration Kling does not document: the charge stands
                    }
                }
                yield seconds;
            }
            case IMAGES -> result.path("images").isArray() && !result.path("images").isEmpty()
                    ? (long) result.path("images").size() : null;
            case CALL -> null;
        };
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(KlingTaskView.data(task, null));
    }

    static KlingAction action(Task task) {
        JsonNode request = facts(task);
        return KlingAction.of(request.path("kind").asString(""), task.action()).orElseThrow(
                () -> new IllegalStateException("task " + task.publicId() + ": action " + task.action()));
    }

    /** Whether {@code task} is priced per Kling unit (held and settled in thousandths of a unit). */
    static boolean perUnit(Task task) {
        return facts(task).path(UNIT_PRICE_KEY).isString();
    }

    /**
     * For the admin API, to reconcile with Kling's statement: what the task is priced by ({@code kling_units},
     * {@code seconds}, {@code images} or {@code call}), for a task priced per unit its unit price key and the
     * units held (and on what), and the units Kling reported it deducted ({@code units_reported}, as Kling wrote
     * it; null until it does).
     */
    static ObjectNode adminFacts(Task task) {
        JsonNode facts = facts(task);
        ObjectNode out = Json.object();
        boolean perUnit = facts.path(UNIT_PRICE_KEY).isString();
        out.put("billing", perUnit ? "kling_units" : action(task).billing.name().toLowerCase(Locale.ROOT));
        if (perUnit) {
            for (String field : new String[] {UNIT_PRICE_KEY, "units_held", "units_held_on"}) {
                out.set(field, facts.path(field));
            }
        }
        JsonNode reported = task.payload() == null ? null : Json.objectOrNull(
                task.payload().getBytes(StandardCharsets.UTF_8));
        JsonNode units = reported == null ? null : reported.path("final_unit_deduction");
        if (units != null && (units.isString() || units.isNumber())) {
            out.put("units_reported", units.asString());
        } else {
            out.putNull("units_reported");
        }
        return out;
    }

    /** The facts kept with {@code task} at submit. */
    static JsonNode facts(Task task) {
        return task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
    }

    /** {@code path} on {@code channel}: another relay (an sk- key) serves Kling's paths under {@code /kling}. */
    static String url(Channel channel, String path) {
        return channel.url(KlingAuth.relayKey(channel) ? "/kling" + path : path);
    }
}

package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated Suno call: what it does, the model it is routed and priced as, the upstream request, the
 * client's {@code notify_hook} (kept by the gateway, never sent upstream), and the gateway task it continues.
 *
 * <p>A continuation ({@code task_id}, with {@code continue_clip_id}) must run on its origin task's channel:
 * the clip lives in that upstream's account. {@code task_id} is the only field that carries a gateway task
 * id ({@link #TASK_ID_FIELD}); {@link #upstreamBody(String)} puts the origin's upstream id in its place.
 *
 * @param model        MUSIC: the {@code mv} (default {@value SunoAction#DEFAULT_MV}), or {@code suno_stems} /
 *                     {@code suno_stems_all} for {@code task:"gen_stem"}; others: the action's model
 * @param upstreamBody the body to send (null for GETs): the client's, without {@code notify_hook} and callback
 *                     fields (an upstream callback would reach the client with the upstream's ids), with
 *                     {@code mv} filled in, and without {@code task_id}: a continuation sends
 *                     {@link #upstreamBody(String)}
 * @param notifyHook   the client's http(s) hook, or null
 * @param originTaskId the gateway task id in {@code task_id}, or null
 */
public record SunoSubmit(SunoAction action, String model, String upstreamPath, ObjectNode upstreamBody,
                         String notifyHook, String originTaskId) {

    public static final String TASK_ID_FIELD = "task_id";

    public SunoSubmit {
        requireNonNull(action, "action");
        requireNonNull(model, "model");
        requireNonNull(upstreamPath, "upstreamPath");
    }

    /** The request body as a JSON object, or 400 {@code invalid_json}. */
    public static ObjectNode parse(byte[] body) {
        return SunoInput.parse(body);
    }

    /**
     * Validates a call to {@code path} (e.g. {@code /suno/submit/music}, {@code /suno/act/wav/<clip id>});
     * {@code body} is the parsed JSON object, or null for a GET. An unknown {@code /suno/submit/<action>} is 400
     * {@code invalid_action}; any other unknown path or method is 404.
     */
    public static SunoSubmit of(String method, String path, ObjectNode body) {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        SunoAction action = action(method, path);
        if (action.method().equals("GET")) {
            body = null; // a GET's body, if any, is not sent on
        } else if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: missing (expected: a JSON object)");
        }
        String clipId = action.route().contains("{clip_id}")
                ? SunoInput.id("clip_id", path.substring(action.base().length())) : null;
        SunoInput in = body == null ? null : new SunoInput(body, "");
        ObjectNode upstream = body == null ? null : body.deepCopy();
        String hook = null;
        if (in != null) {
            hook = in.url("notify_hook", false, "an http(s) URL the gateway calls when the task changes");
            upstream.remove(List.of("notify_hook", "callback_url", "callBackUrl"));
        }
        String origin = null;
        String model = action.model();
        switch (action) {
            case MUSIC -> {
                SunoMusicInput music = SunoMusicInput.check(in);
                model = music.model();
                origin = music.originTaskId();
                upstream.put("mv", music.mv());
            }
            case LYRICS -> in.requireText("prompt", "prompt_empty", "a description of the lyrics to write");
            case CONCAT -> {
                SunoInput.id("clip_id", in.requireText("clip_id", "missing_clip_id",
                        "the id of a clip made by an extend (task:\"extend\")"));
                in.bool("is_infill");
                origin = in.id(TASK_ID_FIELD);
            }
            case UPLOAD -> in.url("url", true, "an http(s) URL of a public audio file such as an mp3");
            case PERSONA -> {
                SunoInput.id("root_clip_id", in.requireText("root_clip_id", "missing_root_clip_id",
                        "the id of the clip whose voice and style the persona keeps"));
                in.text("name");
                in.text("description");
            }
            case STYLE_TAGS -> in.requireText("original_tags", "missing_original_tags",
                    "a few words of style to expand, e.g. \"dreamy synth pop\"");
            default -> { } // the clip id in the path is all these take
        }
        if (origin != null) {
            upstream.remove(TASK_ID_FIELD); // the gateway's id means nothing upstream: see upstreamBody(String)
        }
        return new SunoSubmit(action, model, action.path(clipId), upstream, hook, origin);
    }

    /** Whether the answer is an upstream task id to follow. */
    public boolean createsTask() {
        return action.createsTask();
    }

    /** The action stored on the task and shown to clients: MUSIC, LYRICS, CONCAT or UPLOAD. */
    public String taskAction() {
        return action.name();
    }

    /** Price keys to try in order: the model, then for music {@value SunoAction#MUSIC_FALLBACK_MODEL}. */
    public List<String> priceKeys() {
        return action == SunoAction.MUSIC && !model.startsWith("suno_")
                ? List.of(model, SunoAction.MUSIC_FALLBACK_MODEL) : List.of(model);
    }

    /** The body to send upstream for a continuation: {@code task_id} is the origin task's upstream id. */
    public ObjectNode upstreamBody(String originUpstreamId) {
        requireNonNull(originUpstreamId, "originUpstreamId");
        if (originTaskId == null || upstreamBody == null) {
            throw new IllegalStateException("upstreamBody: no origin task (expected: a submit with task_id)");
        }
        ObjectNode body = upstreamBody.deepCopy();
        body.put(TASK_ID_FIELD, originUpstreamId);
        return body;
    }

    private static SunoAction action(String method, String path) {
        String submit = "/suno/submit/";
        if (path.startsWith(submit) && method.equalsIgnoreCase("POST")) {
            String name = path.substring(submit.length()).toLowerCase(Locale.ROOT);
            return switch (name) {
                case "music" -> SunoAction.MUSIC;
                case "lyrics" -> SunoAction.LYRICS;
                case "concat" -> SunoAction.CONCAT;
                default -> throw GatewayException.badRequest("invalid_action", "action: " + path.substring(submit.length())
                        + " (expected: music, lyrics or concat, as in /suno/submit/music)");
            };
        }
        for (SunoAction action : SunoAction.values()) {
            boolean pathMatches = action.route().contains("{clip_id}")
                    ? path.startsWith(action.base()) && path.length() > action.base().length()
                    : path.equals(action.route());
            if (pathMatches && action.method().equalsIgnoreCase(method)) {
                return action;
            }
        }
        throw GatewayException.notFound("not_found", method + " " + path + " (expected: a Suno route such as "
                + "POST /suno/submit/music or GET /suno/act/wav/{clip_id})");
    }
}

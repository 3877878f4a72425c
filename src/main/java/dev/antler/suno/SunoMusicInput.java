package dev.antler.suno;

import dev.antler.core.GatewayException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of a {@code submit/music} body, in the modes DeerAPI documents: inspiration
 * ({@code gpt_description_prompt}), custom ({@code prompt} lyrics, {@code title}, {@code tags},
 * {@code negative_tags}), instrumental ({@code make_instrumental} / {@code instrumental}), continuation
 * ({@code task_id} + {@code continue_clip_id} + {@code continue_at}, {@code task:"extend"} or
 * {@code "upload_extend"}), infill ({@code infill_start_s} / {@code infill_end_s}) and stem separation
 * ({@code task:"gen_stem"}). Fields it does not know pass through unchecked.
 *
 * @param mv            the model version to send (the client's, or {@value SunoAction#DEFAULT_MV})
 * @param model         what the submit is routed and priced as
 * @param originTaskId  the gateway task id in {@code task_id}, or null
 */
record SunoMusicInput(String mv, String model, String originTaskId) {

    /**
     * Model versions become the routing model and price key, so they must name a Suno model ({@code chirp-v4},
     * {@code chirp-v3.5}, {@code chirp-auk-turbo}, ...): another model's name (say {@code suno_lyrics}) would
     * make a song at that model's price.
     */
    private static final Pattern MV = Pattern.compile("(?i)chirp-[a-z0-9._-]{1,58}");
    /** Tasks that act on an existing clip. */
    private static final Set<String> ON_A_CLIP = Set.of("extend", "upload_extend", "gen_stem");

    static SunoMusicInput check(SunoInput in) {
        for (String field : new String[] {"gpt_description_prompt", "prompt", "title", "tags", "negative_tags", "task",
                "generation_type", "stem_task", "stem_type_group_name"}) {
            in.text(field);
        }
        in.bool("make_instrumental");
        in.bool("instrumental");
        String mv = in.text("mv");
        if (mv == null || mv.isBlank()) {
            mv = SunoAction.DEFAULT_MV;
        } else if (!MV.matcher(mv).matches()) {
            throw GatewayException.badRequest("invalid_mv", "mv: " + mv + " (expected: a model version such as chirp-v4"
                    + ", chirp-auk or chirp-crow)");
        }
        String clip = in.id("continue_clip_id");
        String origin = in.id(SunoSubmit.TASK_ID_FIELD);
        Double continueAt = in.number("continue_at", 0, "the second of the clip to continue from, 0 or more");
        String task = in.text("task");
        if (clip != null && origin == null) {
            throw GatewayException.badRequest("missing_task_id", "task_id: missing with continue_clip_id: " + clip
                    + " (expected: the id of the task that made continue_clip_id; a continuation runs where its clip was made)");
        }
        if (clip == null && (continueAt != null || (task != null && ON_A_CLIP.contains(task)))) {
            throw GatewayException.badRequest("missing_continue_clip_id", "continue_clip_id: missing"
                    + (task != null && ON_A_CLIP.contains(task) ? " with task: " + task : " with continue_at")
                    + " (expected: the id of the clip to work on, with task_id: the task that made it)");
        }
        infill(in);
        if (clip == null && !in.hasText("gpt_description_prompt") && !in.hasText("prompt") && !in.hasText("tags")) {
            throw GatewayException.badRequest("missing_prompt", "gpt_description_prompt: missing (expected: a song "
                    + "description (inspiration mode), or prompt and/or tags (custom mode), or continue_clip_id)");
        }
        return new SunoMusicInput(mv, model(in, task, mv), origin);
    }

    private static void infill(SunoInput in) {
        Double start = in.number("infill_start_s", 0, "the second where the infill starts, 0 or more");
        Double end = in.number("infill_end_s", 0, "the second where the infill ends, after infill_start_s");
        if ((start == null) != (end == null)) {
            String missing = start == null ? "infill_start_s" : "infill_end_s";
            throw GatewayException.badRequest("missing_" + missing, missing
                    + ": missing (expected: infill_start_s and infill_end_s together)");
        }
        if (start != null && end <= start) {
            throw GatewayException.badRequest("invalid_infill_end_s", "infill_end_s: " + end
                    + " (expected: more than infill_start_s: " + start + ")");
        }
    }

    /** Stem separation has prices of its own (DeerAPI bills all twelve tracks as five music calls). */
    private static String model(SunoInput in, String task, String mv) {
        if (!"gen_stem".equals(task)) {
            return mv;
        }
        boolean all = "twelve".equalsIgnoreCase(String.valueOf(in.text("stem_task")))
                || "twelve".equalsIgnoreCase(String.valueOf(in.text("stem_type_group_name")));
        return all ? SunoAction.STEMS_ALL_MODEL : SunoAction.STEMS_MODEL;
    }
}

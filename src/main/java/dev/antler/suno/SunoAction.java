package dev.antler.suno;

/**
 * What a Suno call does: its client route (method and path, where {@code {clip_id}} is a path parameter),
 * the model it is routed and priced as, and whether it makes a task the client polls. The upstream path is
 * the client path: an upstream of a Suno channel speaks the same relay protocol.
 *
 * <p>The first four make tasks (new-api's {@code /suno/submit/:action}, and the upload and concat routes of
 * its siblings); the rest are DeerAPI's extras, answered at once and relayed as they are (priced per call).
 * Sources for the extras' paths: DeerAPI pages {@code /api/music/suno/new-persona} (persona) and
 * {@code get-vox} (vox); DeerAPI's navigation lists wav, mp4 and timing as GETs and "拓展 style tags" as a POST
 * without their paths being readable here, so those paths are the ones sibling relays of the same protocol
 * document (yutoai: timing, tags; kkiai: wav; an apifox relay: stems, mp4). DeerAPI itself now separates stems
 * through {@code submit/music} with {@code task:"gen_stem"} (see {@link SunoSubmit}).
 */
public enum SunoAction {
    MUSIC("POST", "/suno/submit/music", null, true),
    LYRICS("POST", "/suno/submit/lyrics", "suno_lyrics", true),
    CONCAT("POST", "/suno/submit/concat", "suno_concat", true),
    UPLOAD("POST", "/suno/uploads/audio-url", "suno_upload", true),
    PERSONA("POST", "/suno/persona/create", "suno_persona", false),
    STYLE_TAGS("POST", "/suno/act/tags", "suno_style_tags", false),
    VOX("POST", "/suno/act/vox/{clip_id}", "suno_vox", false),
    STEMS("GET", "/suno/act/stems/{clip_id}", "suno_stems", false),
    WAV("GET", "/suno/act/wav/{clip_id}", "suno_wav", false),
    MP4("GET", "/suno/act/mp4/{clip_id}", "suno_mp4", false),
    TIMING("GET", "/suno/act/timing/{clip_id}", "suno_timing", false);

    /** The model a music submit is priced as when its {@code mv} has no price of its own. */
    public static final String MUSIC_FALLBACK_MODEL = "suno_music";
    /** Stem separation through {@code submit/music} ({@code task:"gen_stem"}): two tracks, and all twelve. */
    public static final String STEMS_MODEL = "suno_stems";
    public static final String STEMS_ALL_MODEL = "suno_stems_all";
    /** The {@code mv} new-api sends when the client gives none. */
    public static final String DEFAULT_MV = "chirp-v3-0";

    private final String method;
    private final String route;
    private final String model;
    private final boolean createsTask;

    SunoAction(String method, String route, String model, boolean createsTask) {
        this.method = method;
        this.route = route;
        this.model = model;
        this.createsTask = createsTask;
    }

    /** {@code GET} or {@code POST}. */
    public String method() {
        return method;
    }

    /** The client route, e.g. {@code /suno/act/wav/{clip_id}}. */
    public String route() {
        return route;
    }

    /** The fixed model, or null for MUSIC (its model is the submit's {@code mv}). */
    public String model() {
        return model;
    }

    /** True when the answer is a task id to poll; false when the upstream's answer is relayed at once. */
    public boolean createsTask() {
        return createsTask;
    }

    /** The route with {@code clipId} in place of {@code {clip_id}}. */
    String path(String clipId) {
        return route.replace("{clip_id}", clipId == null ? "" : clipId);
    }

    /** The route's fixed part before {@code {clip_id}}, or the whole route. */
    String base() {
        int at = route.indexOf("{clip_id}");
        return at < 0 ? route : route.substring(0, at);
    }
}

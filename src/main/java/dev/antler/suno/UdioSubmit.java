package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated Udio submit, {@code POST /udio/submit/music} with {@code {"gen_params":{prompt, lyrics,
 * lyrics_type, model_type, seed, ..., config:{mode, source}}}} as relays of the protocol document it (openai-hk,
 * yutoai). The task it makes shows as action {@value #ACTION}; the upstream is polled one task per call
 * ({@link UdioPoll}).
 *
 * @param model        the {@code gen_params.model_type} (default {@value #DEFAULT_MODEL}, written into the
 *                     upstream body so what is billed is what is made)
 * @param upstreamBody the client's body without {@code notify_hook} and callback fields
 * @param notifyHook   the client's http(s) hook, or null
 */
public record UdioSubmit(String model, ObjectNode upstreamBody, String notifyHook) {

    public static final String ACTION = "udio-generate";
    public static final String UPSTREAM_PATH = "/udio/submit/music";
    public static final String DEFAULT_MODEL = "udio32-v1.5";
    /** The price of a {@code model_type} without one of its own. */
    public static final String FALLBACK_MODEL = "udio_music";

    /** The routing model and price key: a Udio model's name, never another model's (and its price). */
    private static final Pattern MODEL = Pattern.compile("(?i)udio[a-z0-9._-]{1,60}");

    public UdioSubmit {
        requireNonNull(model, "model");
        requireNonNull(upstreamBody, "upstreamBody");
    }

    /** Validates a submit to {@code path}; only {@code /udio/submit/music} exists (else 400 {@code invalid_action}). */
    public static UdioSubmit of(String path, ObjectNode body) {
        requireNonNull(path, "path");
        String submit = "/udio/submit/";
        if (!path.startsWith(submit) || !path.substring(submit.length()).equalsIgnoreCase("music")) {
            throw GatewayException.badRequest("invalid_action", "action: " + path.substring(Math.min(path.length(),
                    submit.length())) + " (expected: music, as in /udio/submit/music)");
        }
        if (body == null) {
            throw GatewayException.badRequest("invalid_json", "body: missing (expected: a JSON object)");
        }
        SunoInput in = new SunoInput(body, "");
        String hook = in.url("notify_hook", false, "an http(s) URL the gateway calls when the task changes");
        SunoInput gen = in.object("gen_params", true, "an object with prompt, lyrics, lyrics_type and model_type");
        gen.requireText("prompt", "prompt_empty", "a description of the song");
        gen.text("negative_prompt");
        String lyricsType = gen.text("lyrics_type");
        String lyrics = gen.text("lyrics");
        if ("user".equals(lyricsType) && (lyrics == null || lyrics.isBlank())) {
            gen.requireText("lyrics", "missing_lyrics", "the song's lyrics, as lyrics_type is user");
        }
        gen.bool("bypass_prompt_optimization");
        gen.number("seed", -1, "a whole number, or -1 for a random seed");
        for (String field : new String[] {"song_section_start", "prompt_strength", "clarity_strength", "lyrics_strength",
                "generation_quality"}) {
            gen.number(field, 0, "a number from 0 to 1");
        }
        gen.object("config", false, "an object such as {\"mode\": \"regular\"}").text("mode");
        String model = gen.text("model_type");
        if (model == null || model.isBlank()) {
            model = DEFAULT_MODEL;
        } else if (!MODEL.matcher(model).matches()) {
            throw GatewayException.badRequest("invalid_model_type", "gen_params.model_type: " + model
                    + " (expected: udio32-v1.5 or udio130-v1.5)");
        }
        ObjectNode upstream = body.deepCopy();
        upstream.remove(List.of("notify_hook", "callback_url", "callBackUrl"));
        ((ObjectNode) upstream.get("gen_params")).put("model_type", model);
        return new UdioSubmit(model, upstream, hook);
    }

    public String upstreamPath() {
        return UPSTREAM_PATH;
    }

    /** The action stored on the task and shown to clients. */
    public String taskAction() {
        return ACTION;
    }

    /** Price keys to try in order: the model, then {@value #FALLBACK_MODEL}. */
    public List<String> priceKeys() {
        return List.of(model, FALLBACK_MODEL);
    }
}

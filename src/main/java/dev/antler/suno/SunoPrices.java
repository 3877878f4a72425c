package dev.antler.suno;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Built-in per-call list prices (USD) of the Suno and Udio families, keyed by the models their calls are
 * routed and priced as ({@link SunoSubmit#priceKeys()}, {@link UdioSubmit#priceKeys()}). Every entry can be
 * overridden like any price.
 *
 * <ul>
 *   <li>Music, per {@code mv} and {@code suno_music} (for an {@code mv} not listed): $0.30, new-api's
 *       {@code suno_music} default (its {@code Suno.md}); one call makes two clips.
 *   <li>{@code suno_lyrics}: $0.01, new-api's default.
 *   <li>{@code suno_stems_all}: $1.50, five music calls, as DeerAPI bills full-track (twelve) separation;
 *       {@code suno_stems} (two tracks): $0.30, one music call (our choice).
 *   <li>{@code suno_wav}: $0.01, the WAV conversion price listed by muapi.ai.
 *   <li>Chosen by us, as small fees for calls that make no new song: {@code suno_concat} $0.05,
 *       {@code suno_upload} $0.02, {@code suno_persona} $0.05, {@code suno_mp4} $0.02, {@code suno_vox} $0.02,
 *       {@code suno_timing} $0.01, {@code suno_style_tags} $0.01.
 *   <li>Udio: {@code udio32-v1.5} and {@code udio_music} (a {@code model_type} not listed) $0.30, our choice
 *       matching a Suno music call (two songs per call); {@code udio130-v1.5} $0.60, twice that, as
 *       openai-hk prices the 130-second model at twice the 32-second one.
 * </ul>
 */
public final class SunoPrices {

    /** Every {@code mv} DeerAPI documents: v3, v3.5, v4, v4.5 (auk), v4.5+ (bluejay), v5 (crow), v5.5 (fenix). */
    public static final List<String> CHIRP_VERSIONS = List.of("chirp-v3-0", "chirp-v3-5", "chirp-v4", "chirp-auk",
            "chirp-bluejay", "chirp-crow", "chirp-fenix");
    /** Udio's {@code gen_params.model_type} values. */
    public static final List<String> UDIO_MODELS = List.of("udio32-v1.5", "udio130-v1.5");

    private SunoPrices() {}

    /** Both families' prices: {@link #suno()} then {@link #udio()}. */
    public static Map<String, Price> defaults() {
        Map<String, Price> t = new LinkedHashMap<>(suno());
        t.putAll(udio());
        return t;
    }

    /** The Suno family's prices: songs by {@code mv}, then the actions' models. */
    public static Map<String, Price> suno() {
        Map<String, Price> t = new LinkedHashMap<>();
        for (String mv : CHIRP_VERSIONS) {
            t.put(mv, Price.perCall("0.30"));
        }
        t.put(SunoAction.MUSIC_FALLBACK_MODEL, Price.perCall("0.30"));
        t.put("suno_lyrics", Price.perCall("0.01"));
        t.put(SunoAction.STEMS_MODEL, Price.perCall("0.30"));
        t.put(SunoAction.STEMS_ALL_MODEL, Price.perCall("1.50"));
        t.put("suno_concat", Price.perCall("0.05"));
        t.put("suno_upload", Price.perCall("0.02"));
        t.put("suno_persona", Price.perCall("0.05"));
        t.put("suno_wav", Price.perCall("0.01"));
        t.put("suno_mp4", Price.perCall("0.02"));
        t.put("suno_vox", Price.perCall("0.02"));
        t.put("suno_timing", Price.perCall("0.01"));
        t.put("suno_style_tags", Price.perCall("0.01"));
        return t;
    }

    /** The Udio family's prices, by {@code model_type}. */
    public static Map<String, Price> udio() {
        Map<String, Price> t = new LinkedHashMap<>();
        t.put("udio32-v1.5", Price.perCall("0.30"));
        t.put("udio130-v1.5", Price.perCall("0.60"));
        t.put(UdioSubmit.FALLBACK_MODEL, Price.perCall("0.30"));
        return t;
    }
}

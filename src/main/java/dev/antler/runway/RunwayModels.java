package dev.antler.runway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each model takes on each of Runway's create routes, as runwayml/sdk-python (5.13) types them
 * ({@code types/image_to_video_create_params.py}, {@code text_to_video_create_params.py},
 * {@code video_to_video_create_params.py}). Checked before anything is held or sent: a value outside these is a
 * 400 naming the field and what it may be. Runway's other models on these routes (seedance2*, happyhorse_1_0,
 * gemini_omni_flash) have no rules or list prices here yet and are refused by name.
 */
final class RunwayModels {

    static final List<String> GEN4_RATIOS = List.of("1280:720", "720:1280", "1104:832", "960:960", "832:1104",
            "1584:672");
    static final List<String> VEO_RATIOS = List.of("1280:720", "720:1280", "1080:1920", "1920:1080");
    static final List<String> ALEPH_RATIOS = List.of("1280:720", "720:1280", "1104:832", "960:960", "832:1104",
            "1584:672", "848:480", "640:480");
    static final List<String> TARGET_ASPECT_RATIOS = List.of("16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16",
            "21:9");
    static final int MAX_PROMPT = 1000;
    /** The seconds held for a video whose length follows its input video (video_to_video); settled on what was made. */
    static final int VIDEO_INPUT_HOLD = 10;

    /**
     * One model on one route.
     *
     * @param durations       the seconds it may be asked for, in order
     * @param durationNeeded  whether {@code duration} must be given
     * @param heldWhenOmitted the seconds held when {@code duration} is not given (its largest: the video cannot be longer)
     * @param ratios          the {@code ratio} values; empty: any string (aleph2)
     * @param ratioNeeded     whether {@code ratio} must be given
     * @param promptNeeded    whether {@code promptText} must be given
     * @param positions       the frame positions {@code promptImage} may name (image_to_video), e.g. first, last
     * @param options         the other fields it documents (checked for shape)
     */
    record Rule(String model, List<Integer> durations, boolean durationNeeded, int heldWhenOmitted,
                List<String> ratios, boolean ratioNeeded, boolean promptNeeded, List<String> positions,
                Set<String> options) {

        boolean durationFollowsInput() {
            return durations.isEmpty();
        }
    }

    private static final List<Integer> TWO_TO_TEN = List.of(2, 3, 4, 5, 6, 7, 8, 9, 10);
    private static final List<Integer> VEO31 = List.of(4, 6, 8);
    private static final List<Integer> VEO3 = List.of(8);

    private static final Map<RunwayEndpoint, Map<String, Rule>> RULES = Map.of(
            RunwayEndpoint.IMAGE_TO_VIDEO, table(
                    new Rule("gen4.5", TWO_TO_TEN, true, 10, GEN4_RATIOS, true, true, List.of("first"),
                            Set.of("seed", "contentModeration")),
                    new Rule("gen4_turbo", TWO_TO_TEN, false, 10, GEN4_RATIOS, true, false, List.of("first"),
                            Set.of("seed", "contentModeration")),
                    new Rule("veo3.1", VEO31, false, 8, VEO_RATIOS, true, false, List.of("first", "last"),
                            Set.of("audio", "negativePrompt")),
                    new Rule("veo3.1_fast", VEO31, false, 8, VEO_RATIOS, true, false, List.of("first", "last"),
                            Set.of("audio", "negativePrompt")),
                    new Rule("veo3", VEO3, true, 8, VEO_RATIOS, true, false, List.of("first"),
                            Set.of("negativePrompt"))),
            RunwayEndpoint.TEXT_TO_VIDEO, table(
                    new Rule("gen4.5", TWO_TO_TEN, true, 10, List.of("1280:720", "720:1280"), true, true, List.of(),
                            Set.of("seed", "contentModeration")),
                    new Rule("veo3.1", VEO31, false, 8, VEO_RATIOS, true, true, List.of(),
                            Set.of("audio", "negativePrompt")),
                    new Rule("veo3.1_fast", VEO31, false, 8, VEO_RATIOS, true, true, List.of(),
                            Set.of("audio", "negativePrompt")),
                    new Rule("veo3", VEO3, true, 8, VEO_RATIOS, true, true, List.of(), Set.of("negativePrompt"))),
            RunwayEndpoint.VIDEO_TO_VIDEO, table(
                    new Rule("gen4_aleph", List.of(), false, VIDEO_INPUT_HOLD, ALEPH_RATIOS, false, true, List.of(),
                            Set.of("seed", "contentModeration", "references")),
                    new Rule("aleph2", List.of(), false, VIDEO_INPUT_HOLD, List.of(), false, false, List.of(),
                            Set.of("seed", "contentModeration", "keyframes", "targetAspectRatio"))));

    private RunwayModels() {}

    private static Map<String, Rule> table(Rule... rules) {
        Map<String, Rule> byModel = new LinkedHashMap<>();
        for (Rule rule : rules) {
            byModel.put(rule.model(), rule);
        }
        return byModel;
    }

    static Optional<Rule> rule(RunwayEndpoint endpoint, String model) {
        return Optional.ofNullable(RULES.get(endpoint).get(model));
    }

    /** The models {@code endpoint} takes, in order. */
    static List<String> models(RunwayEndpoint endpoint) {
        return List.copyOf(RULES.get(endpoint).keySet());
    }

    /** Whether any official route takes {@code model}. */
    static boolean official(String model) {
        return RULES.values().stream().anyMatch(rules -> rules.containsKey(model));
    }
}

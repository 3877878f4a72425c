package dev.antler.minimax;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The video models MiniMax documents, with the durations each allows at each resolution (MiniMax's video API
 * reference, platform.minimax.io: text-to-video, image-to-video and subject-reference pages, and the V2
 * {@code MiniMax-H3} schema). A request outside the table is refused before anything is held or sent.
 */
final class MiniMaxModels {

    /** What a model needs besides a prompt. */
    enum Needs { NOTHING, FIRST_FRAME, SUBJECT }

    /**
     * One model.
     *
     * @param name        MiniMax's model name
     * @param api         the API that serves it
     * @param durations   the seconds allowed at each resolution, resolutions in MiniMax's order
     * @param resolution  the resolution MiniMax makes when none is asked
     * @param duration    the seconds MiniMax makes when none are asked
     * @param needs       what the model needs in the body besides a prompt
     */
    record Model(String name, MiniMaxApi api, Map<String, List<Integer>> durations, String resolution, int duration,
                 Needs needs) {

        List<String> resolutions() {
            return List.copyOf(durations.keySet());
        }

        /** Every duration the model allows at some resolution, ascending. */
        List<Integer> allDurations() {
            return durations.values().stream().flatMap(List::stream).distinct().sorted().toList();
        }
    }

    private static final Map<String, Model> MODELS = new LinkedHashMap<>();

    static {
        Map<String, List<Integer>> hailuo = ordered("768P", List.of(6, 10), "1080P", List.of(6));
        add(new Model("MiniMax-Hailuo-2.3", MiniMaxApi.V1, hailuo, "768P", 6, Needs.NOTHING));
        add(new Model("MiniMax-Hailuo-2.3-Fast", MiniMaxApi.V1, hailuo, "768P", 6, Needs.NOTHING));
        add(new Model("MiniMax-Hailuo-02", MiniMaxApi.V1,
                ordered("512P", List.of(6, 10), "768P", List.of(6, 10), "1080P", List.of(6)), "768P", 6,
                Needs.NOTHING));
        Map<String, List<Integer>> first = ordered("720P", List.of(6));
        add(new Model("T2V-01-Director", MiniMaxApi.V1, first, "720P", 6, Needs.NOTHING));
        add(new Model("T2V-01", MiniMaxApi.V1, first, "720P", 6, Needs.NOTHING));
        add(new Model("video-01", MiniMaxApi.V1, first, "720P", 6, Needs.NOTHING));
        add(new Model("I2V-01-Director", MiniMaxApi.V1, first, "720P", 6, Needs.FIRST_FRAME));
        add(new Model("I2V-01-live", MiniMaxApi.V1, first, "720P", 6, Needs.FIRST_FRAME));
        add(new Model("I2V-01", MiniMaxApi.V1, first, "720P", 6, Needs.FIRST_FRAME));
        add(new Model("S2V-01", MiniMaxApi.V1, first, "720P", 6, Needs.SUBJECT));
        List<Integer> fourToFifteen = IntStream.rangeClosed(4, 15).boxed().toList();
        add(new Model("MiniMax-H3", MiniMaxApi.V2, ordered("768P", fourToFifteen, "2K", fourToFifteen), "768P", 5,
                Needs.NOTHING));
    }

    private MiniMaxModels() {}

    private static void add(Model model) {
        MODELS.put(model.name(), model);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Integer>> ordered(Object... pairs) {
        Map<String, List<Integer>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (List<Integer>) pairs[i + 1]);
        }
        return map;
    }

    static Optional<Model> find(String name) {
        return Optional.ofNullable(MODELS.get(name));
    }

    /** The models {@code api} serves, in table order. */
    static List<Model> of(MiniMaxApi api) {
        return MODELS.values().stream().filter(m -> m.api() == api).toList();
    }

    static List<Model> all() {
        return List.copyOf(MODELS.values());
    }

    /** The names of {@code api}'s models, for messages. */
    static String names(MiniMaxApi api) {
        return String.join(", ", of(api).stream().map(Model::name).toList());
    }
}

package dev.antler.luma;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Luma's video models on its Dream Machine API, with the durations and resolutions each takes (the first is the
 * default the gateway fills in, so what is held is what is made). ray-1-6 takes neither field: it makes one 5 s
 * 720p video, and the fields are not sent. The reverse relays' names are mapped: {@code ray-v1} is ray-1-6,
 * {@code ray-v2} ray-2; their {@code ray-v3} has no counterpart on Luma's API.
 */
enum LumaModel {
    RAY_2("ray-2", "ray-v2", List.of("5s", "9s"), List.of("720p", "540p", "1080p", "4k")),
    RAY_FLASH_2("ray-flash-2", null, List.of("5s", "9s"), List.of("720p", "540p", "1080p", "4k")),
    RAY_1_6("ray-1-6", "ray-v1", List.of("5s"), List.of("720p"));

    static final List<String> ASPECT_RATIOS = List.of("16:9", "1:1", "9:16", "4:3", "3:4", "21:9", "9:21");

    final String id;
    /** The reverse relays' name, or null when they have none. */
    final String reverseName;
    final List<String> durations;
    final List<String> resolutions;

    LumaModel(String id, String reverseName, List<String> durations, List<String> resolutions) {
        this.id = id;
        this.reverseName = reverseName;
        this.durations = durations;
        this.resolutions = resolutions;
    }

    /** Whether duration and resolution are sent upstream (ray-1-6 takes neither). */
    boolean sendsLength() {
        return durations.size() > 1 || resolutions.size() > 1;
    }

    static Optional<LumaModel> of(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** A model by its official or its reverse name. */
    static Optional<LumaModel> byAnyName(String name) {
        return Arrays.stream(values()).filter(m -> m.id.equals(name) || name.equals(m.reverseName)).findFirst();
    }

    static String ids() {
        return String.join(", ", Arrays.stream(values()).map(m -> m.id).toList());
    }

    static String anyNames() {
        return String.join(", ", Arrays.stream(values()).filter(m -> m.reverseName != null).map(m -> m.reverseName)
                .toList()) + ", " + ids();
    }
}

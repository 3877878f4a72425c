package dev.antler.ideogram;

import dev.antler.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the fake Ideogram refuses, as the real API does: empty values, bad enums, missing required fields. */
final class FakeIdeogramRules {

    private static final Map<String, List<List<String>>> REQUIRED = Map.of(
            "/edit", List.of(List.of("image_file", "mask"), List.of("prompt", "model")),
            "/remix", List.of(List.of("image_file"), List.of("image_request")),
            "/upscale", List.of(List.of("image_file"), List.of("image_request")),
            "/describe", List.of(List.of("image_file"), List.of()),
            "/v1/ideogram-v3/generate", List.of(List.of(), List.of("prompt")),
            "/v1/ideogram-v3/edit", List.of(List.of("image", "mask"), List.of("prompt")),
            "/v1/ideogram-v3/remix", List.of(List.of("image"), List.of("prompt")),
            "/v1/ideogram-v3/reframe", List.of(List.of("image"), List.of("resolution")),
            "/v1/ideogram-v3/replace-background", List.of(List.of("image"), List.of("prompt")));
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "rendering_speed", Set.of("FLASH", "TURBO", "BALANCED", "DEFAULT", "QUALITY"),
            "magic_prompt", Set.of("AUTO", "ON", "OFF"),
            "magic_prompt_option", Set.of("AUTO", "ON", "OFF"),
            "style_type", Set.of("AUTO", "GENERAL", "REALISTIC", "DESIGN", "RENDER_3D", "ANIME", "FICTION"));

    private FakeIdeogramRules() {}

    /** What the real API would reject, as far as the gateway's tests need. */
    static String problem(FakeIdeogram.Seen s) {
        for (Map.Entry<String, List<String>> field : s.fields().entrySet()) {
            if (field.getValue().stream().anyMatch(String::isEmpty)) {
                return field.getKey() + ": empty value";
            }
            Set<String> allowed = ENUMS.get(field.getKey());
            if (allowed != null && !allowed.contains(field.getValue().get(0))) {
                return field.getKey() + ": not one of " + allowed;
            }
        }
        for (String number : List.of("num_images", "seed")) {
            if (s.field(number) != null && !s.field(number).matches("\\d+")) {
                return number + ": not an integer";
            }
        }
        if (s.path().equals("/generate")) {
            return s.json().path("image_request").path("prompt").isString() ? null : "image_request.prompt required";
        }
        if (s.path().equals("/edit") && !Set.of("V_2", "V_2_TURBO").contains(s.field("model"))) {
            return "model: " + s.field("model") + " is not V_2 or V_2_TURBO";
        }
        if (s.field("image_request") != null && !Json.MAPPER.readTree(s.field("image_request")).isObject()) {
            return "image_request: not a JSON object";
        }
        List<List<String>> required = REQUIRED.get(s.path());
        if (required == null) {
            return null;
        }
        for (String f : required.get(0)) {
            if (!s.files().containsKey(f) || s.files().get(f).get(0).length() == 0) {
                return f + " required";
            }
        }
        for (String f : required.get(1)) {
            if (s.field(f) == null) {
                return f + " required";
            }
        }
        return null;
    }
}

package dev.antler.minimax;

import static dev.antler.minimax.MiniMaxInput.bad;

import dev.antler.minimax.MiniMaxModels.Model;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a V2 submit's body ({@code {model, content[], resolution, duration, ratio, callback_url, aigc_watermark}})
 * as MiniMax's V2 schema documents it: exactly one non-empty {@code text} item (at most 7000 characters); media
 * items of the four types with a {@code url}, each role on its own type, at most one first and one last frame,
 * nine reference images, three videos and three audios; frames and references not mixed; {@code ratio} one of
 * MiniMax's, and for a text-only request not {@code adaptive} (16:9 when absent, as MiniMax would need one).
 * Resolution (768P) and duration (5 s) are filled in when absent, so what is priced is what is made.
 */
final class MiniMaxV2Input {

    static final int MAX_TEXT = 7000;
    /** MiniMax bills reference video by its seconds at the output's rate; together they last at most this. */
    static final int MAX_REFERENCE_VIDEO_SECONDS = 15;
    static final List<String> RATIOS = List.of("adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16");
    private static final Map<String, List<String>> ROLES = Map.of(
            "image_url", List.of("first_frame", "last_frame", "reference_image"),
            "video_url", List.of("reference_video"),
            "audio_url", List.of("reference_audio"));
    private static final Map<String, Integer> MOST = Map.of("first_frame", 1, "last_frame", 1,
            "reference_image", 9, "reference_video", 3, "reference_audio", 3);

    private MiniMaxV2Input() {}

    static MiniMaxRequest read(ObjectNode client) {
        ObjectNode body = client.deepCopy();
        String callback = MiniMaxInput.callback(body);
        Model model = MiniMaxInput.model(body, MiniMaxApi.V2);
        if (body.has("aigc_watermark") && !body.get("aigc_watermark").isBoolean()) {
            throw bad("aigc_watermark", body.get("aigc_watermark"), "true or false");
        }
        Map<String, Integer> roles = content(body.path("content"));
        boolean frames = roles.containsKey("first_frame") || roles.containsKey("last_frame");
        boolean references = roles.keySet().stream().anyMatch(r -> r.startsWith("reference_"));
        if (frames && references) {
            throw bad("content", "first_frame/last_frame with reference_* items",
                    "either frames (first_frame, last_frame) or references (reference_image, reference_video, "
                            + "reference_audio), not both");
        }
        JsonNode ratio = body.path("ratio");
        if (!ratio.isMissingNode() && !ratio.isNull() && (!ratio.isString() || !RATIOS.contains(ratio.asString()))) {
            throw bad("ratio", ratio, "one of " + String.join(", ", RATIOS));
        }
        if (roles.isEmpty()) {
            if (ratio.isMissingNode() || ratio.isNull()) {
                body.put("ratio", "16:9");
            } else if (ratio.asString().equals("adaptive")) {
                throw bad("ratio", ratio, "one of " + String.join(", ", RATIOS.subList(1, RATIOS.size()))
                        + " for a text-only request");
            }
        }
        String resolution = MiniMaxInput.resolution(body, model);
        int seconds = MiniMaxInput.duration(body, model, resolution);
        body.put("resolution", resolution);
        body.put("duration", seconds);
        int held = seconds + (roles.containsKey("reference_video") ? MAX_REFERENCE_VIDEO_SECONDS : 0);
        return new MiniMaxRequest(MiniMaxApi.V2, model, seconds, resolution, held, body, callback, null);
    }

    /** Checks {@code content}; the count of media items by role (an image without one is a first frame). */
    private static Map<String, Integer> content(JsonNode content) {
        if (!content.isArray() || content.isEmpty()) {
            throw bad("content", content, "a non-empty array of {\"type\": \"text\", \"text\": ...} and media items");
        }
        Map<String, Integer> roles = new HashMap<>();
        int texts = 0;
        for (int i = 0; i < content.size(); i++) {
            JsonNode item = content.get(i);
            String at = "content[" + i + "]";
            String type = item.path("type").asString("");
            if (type.equals("text")) {
                JsonNode text = item.path("text");
                if (!text.isString() || text.asString().isBlank()) {
                    throw bad(at + ".text", text, "a non-empty string");
                }
                int length = text.asString().codePointCount(0, text.asString().length());
                if (length > MAX_TEXT) {
                    throw bad(at + ".text", length + " characters", "at most " + MAX_TEXT + " characters");
                }
                texts++;
                continue;
            }
            if (!ROLES.containsKey(type)) {
                throw bad(at + ".type", item.path("type"), "one of text, image_url, video_url, audio_url");
            }
            JsonNode url = item.path(type).path("url");
            if (!url.isString() || url.asString().isBlank()) {
                throw bad(at + "." + type + ".url", url, "a public URL, mm_file://{file_id} or a data URI");
            }
            JsonNode role = item.path("role");
            String named = role.isMissingNode() || role.isNull() ? ROLES.get(type).get(0) : role.asString("");
            if (!ROLES.get(type).contains(named) || (type.equals("image_url") && !role.isMissingNode()
                    && !role.isNull() && !role.isString())) {
                throw bad(at + ".role", role, "one of " + String.join(", ", ROLES.get(type)) + " for " + type);
            }
            if (roles.merge(named, 1, Integer::sum) > MOST.get(named)) {
                throw bad("content", roles.get(named) + " items of role " + named, "at most " + MOST.get(named));
            }
        }
        if (texts != 1) {
            throw bad("content", texts + " text items", "exactly one {\"type\": \"text\", \"text\": ...} item");
        }
        return roles;
    }
}

package dev.antler.suno;

import dev.antler.json.Json;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link FakeSuno}'s clip objects (Suno's shape, with the account's fields) and its answers to DeerAPI's
 * extras, shaped after the samples the relays document: timing ({@code aligned_words}), style tags
 * ({@code upsampled_tags}), persona (the persona with its clip), vox, stems ({@code clips}), and wav / mp4
 * ({@code {"code":"success","data":"<id>"}}).
 */
final class FakeSunoExtras {

    private FakeSunoExtras() {}

    static ObjectNode clip(String id, String status, JsonNode request, String failReason) {
        boolean audio = status.equals("streaming") || status.equals("complete");
        String mv = request.path("mv").asString("chirp-v3-0");
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("entity_type", "song_schema");
        c.put("title", request.path("title").asString("Untitled"));
        c.put("status", status);
        c.put("audio_url", status.equals("complete") ? "https://cdn1.suno.ai/" + id + ".mp3"
                : audio ? "https://audiopipe.suno.ai/?item_id=" + id : "");
        c.put("image_url", audio ? "https://cdn2.suno.ai/image_" + id + ".jpeg" : "");
        c.put("image_large_url", audio ? "https://cdn2.suno.ai/image_large_" + id + ".jpeg" : "");
        c.put("video_url", status.equals("complete") ? "https://cdn1.suno.ai/" + id + ".mp4" : "");
        c.put("model_name", mv.replaceAll("-0$", ""));
        c.put("major_model_version", "v4");
        c.put("created_at", "2026-03-01T10:00:00.000Z");
        ObjectNode m = c.putObject("metadata");
        m.put("tags", request.path("tags").asString(""));
        m.put("prompt", request.path("prompt").asString(""));
        m.put("gpt_description_prompt", request.path("gpt_description_prompt").asString(""));
        if (status.equals("complete")) {
            m.put("duration", 162.4);
        } else {
            m.putNull("duration");
        }
        m.put("type", "gen");
        m.put("stream", true);
        if (status.equals("error")) {
            m.put("error_type", "moderation");
            m.put("error_message", failReason);
        } else {
            m.putNull("error_type");
            m.putNull("error_message");
        }
        account(c);
        return c;
    }

    /** The upstream account's fields as Suno puts them on a clip. */
    static void account(ObjectNode clip) {
        clip.put("user_id", FakeSuno.ACCOUNT_USER_ID);
        clip.put("display_name", "Upstream Account Seven");
        clip.put("handle", FakeSuno.ACCOUNT_HANDLE);
        clip.put("is_handle_updated", false);
        clip.put("avatar_image_url", "https://cdn1.suno.ai/defaultOrange.webp");
        clip.put("is_following", false);
        clip.put("is_liked", false);
        clip.put("is_trashed", false);
        clip.put("is_public", false);
        clip.put("flag_count", 0);
        clip.put("play_count", 0);
        clip.put("upvote_count", 0);
        clip.put("allow_comments", true);
    }

    /** The answer to an extra, or null when {@code method path} is none. */
    static JsonNode answer(String method, String path, JsonNode body) {
        String act = "/suno/act/";
        if (method.equals("GET") && path.startsWith(act)) {
            String[] parts = path.substring(act.length()).split("/");
            if (parts.length != 2) {
                return null;
            }
            String clip = parts[1];
            return switch (parts[0]) {
                case "wav", "mp4" -> Json.MAPPER.readTree(FakeSuno.success(Json.MAPPER.getNodeFactory()
                        .stringNode(UUID.randomUUID().toString())));
                case "timing" -> Json.MAPPER.readTree(("{'aligned_words':[{'word':'[Verse]\\nWinter ','success':true,"
                        + "'start_s':8.38,'end_s':8.78,'p_align':0.982}],'waveform_data':[0.001,0.04],"
                        + "'hoot_cer':0.035,'is_streamed':false}").replace('\'', '"'));
                case "stems" -> {
                    ObjectNode out = Json.object();
                    ObjectNode vocals = out.putArray("clips").addObject();
                    vocals.put("id", UUID.randomUUID().toString());
                    vocals.put("status", "queued");
                    vocals.put("title", "Song - Vocals");
                    vocals.putObject("metadata").put("stem_from_id", clip).put("type", "stem");
                    account(vocals);
                    yield out;
                }
                default -> null;
            };
        }
        if (method.equals("POST") && path.startsWith(act + "vox/")) {
            ObjectNode out = Json.object();
            out.put("id", UUID.randomUUID().toString());
            out.put("source_clip_id", path.substring((act + "vox/").length()));
            out.put("status", "complete");
            out.put("vocal_audio_url", "https://cdn1.suno.ai/vox.mp3");
            out.put("vocal_start_s", 0);
            out.put("vocal_end_s", 30);
            return out;
        }
        if (method.equals("POST") && path.equals(act + "tags")) {
            ObjectNode out = Json.object();
            out.put("upsampled_tags", "Laid-back indie pop around " + body.path("original_tags").asString("")
                    + ", clean guitar riff, tight bass and crisp drums.");
            out.put("request_id", UUID.randomUUID().toString());
            return out;
        }
        if (method.equals("POST") && path.equals("/suno/persona/create")) {
            ObjectNode out = Json.object();
            out.put("id", UUID.randomUUID().toString());
            out.put("name", body.path("name").asString(""));
            out.put("description", body.path("description").asString(""));
            out.put("root_clip_id", body.path("root_clip_id").asString(""));
            out.set("clip", clip(body.path("root_clip_id").asString(""), "complete", Json.object(), null));
            out.put("user_display_name", "Upstream Account Seven");
            out.put("user_handle", FakeSuno.ACCOUNT_HANDLE);
            out.put("user_image_url", "https://cdn1.suno.ai/defaultOrange.webp");
            return out;
        }
        return null;
    }
}

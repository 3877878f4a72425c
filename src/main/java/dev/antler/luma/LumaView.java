package dev.antler.luma;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Luma task as its client sees it, in the format it used: the gateway's task id (never Luma's), the state mapped
 * ({@link LumaStatus}), result files as the gateway's links ({@link LumaAssets}), never Luma's CDN.
 * <ul>
 *   <li>official — Luma's Generation object: {@code {id, generation_type, state, failure_reason, created_at,
 *       assets{video, image, progress_video}, model, request}}, {@code assets} null until completed and
 *       {@code request} the client's own (its callback, the gateway's ids);</li>
 *   <li>reverse — the relays' object: {@code {id, prompt, state, created_at, video{url, download_url}, video_raw,
 *       thumbnail, last_frame, liked, estimate_wait_seconds}}, with {@code failure_reason} once failed.</li>
 * </ul>
 * Times are ISO-8601, as Luma writes them.
 */
final class LumaView {

    private LumaView() {}

    /** @param base the base URL of the links: the current request's, or null for the one kept at submit */
    static ObjectNode render(Task task, String base) {
        return format(task) == LumaFormat.REVERSE ? reverse(task, base) : generation(task, base);
    }

    static LumaFormat format(Task task) {
        return LumaFormat.ofFact(facts(task).path("format").asString(""));
    }

    static ObjectNode generation(Task task, String base) {
        JsonNode facts = facts(task);
        ObjectNode out = Json.object();
        out.put("id", task.publicId());
        out.put("generation_type", "video");
        out.put("state", LumaStatus.official(task.status()));
        failure(task, out, true);
        out.put("created_at", Instant.ofEpochMilli(task.submittedAt()).toString());
        if (task.status() == TaskStatus.SUCCESS) {
            ObjectNode assets = out.putObject("assets");
            put(assets, "video", LumaAssets.link(task, "video", base));
            put(assets, "image", LumaAssets.link(task, "image", base));
            assets.putNull("progress_video");
        } else {
            out.putNull("assets");
        }
        out.put("model", facts.path("model").asString(""));
        JsonNode request = facts.path("request");
        if (request.isObject()) {
            out.set("request", request);
        } else {
            out.putNull("request");
        }
        return out;
    }

    static ObjectNode reverse(Task task, String base) {
        JsonNode facts = facts(task);
        ObjectNode out = Json.object();
        out.put("id", task.publicId());
        out.put("prompt", facts.path("prompt").asString(""));
        out.put("state", LumaStatus.reverse(task.status()));
        out.put("created_at", Instant.ofEpochMilli(task.submittedAt()).toString());
        String video = LumaAssets.link(task, "video", base);
        String image = LumaAssets.link(task, "image", base);
        if (video != null) {
            out.putObject("video").put("url", video).put("download_url", video);
            out.putObject("video_raw").put("url", video);
        } else {
            out.putNull("video");
            out.putNull("video_raw");
        }
        if (image != null) {
            out.putObject("thumbnail").put("url", image);
        } else {
            out.putNull("thumbnail");
        }
        out.putNull("last_frame");
        out.putNull("liked");
        out.putNull("estimate_wait_seconds");
        failure(task, out, false);
        return out;
    }

    /** {@code failure_reason}: the reason once failed; before, null (official) or absent (reverse). */
    private static void failure(Task task, ObjectNode out, boolean always) {
        if (task.status().refunds()) {
            out.put("failure_reason", task.failReason() == null ? "the generation failed" : task.failReason());
        } else if (always) {
            out.putNull("failure_reason");
        }
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    static JsonNode facts(Task task) {
        return task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
    }
}

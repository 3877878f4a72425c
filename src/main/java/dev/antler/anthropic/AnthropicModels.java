package dev.antler.anthropic;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model list in Anthropic's shape ({@code data}, {@code has_more}, {@code first_id}, {@code last_id},
 * paged by {@code limit}, {@code after_id} and {@code before_id}), for clients that call
 * {@code GET /v1/models} with {@code x-api-key} and {@code anthropic-version}.
 */
public final class AnthropicModels {

    /** Channels of these types serve Messages, natively or translated; their models are listed. */
    public static final Set<String> CHANNEL_TYPES = Set.of(MessagesOperation.ANTHROPIC, "openai");
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";

    private AnthropicModels() {}

    /**
     * Whether the request asks the Anthropic way: it names an {@code anthropic-version}, which the Anthropic SDKs
     * send whatever the key's header ({@code x-api-key}, or {@code Authorization: Bearer} for an auth token).
     */
    public static boolean wanted(HttpServerRequest request) {
        return request.getHeader("anthropic-version") != null;
    }

    public static ObjectNode list(Set<String> models, HttpServerRequest request) {
        List<String> ids = new ArrayList<>(models);
        int limit = limit(request.getParam("limit"));
        String after = request.getParam("after_id");
        String before = request.getParam("before_id");
        int from = 0;
        int to = ids.size();
        if (before != null && ids.contains(before)) {
            to = ids.indexOf(before);
            from = Math.max(0, to - limit);
        } else {
            from = after != null && ids.contains(after) ? ids.indexOf(after) + 1 : 0;
            to = Math.min(ids.size(), from + limit);
        }
        List<String> page = ids.subList(from, to);
        ObjectNode root = Json.object();
        ArrayNode data = root.putArray("data");
        page.forEach(id -> data.add(model(id)));
        root.put("has_more", before != null ? from > 0 : to < ids.size());
        if (page.isEmpty()) {
            root.putNull("first_id");
            root.putNull("last_id");
        } else {
            root.put("first_id", page.get(0));
            root.put("last_id", page.get(page.size() - 1));
        }
        return root;
    }

    public static ObjectNode model(String id) {
        return Json.object().put("type", "model").put("id", id).put("display_name", id).put("created_at", CREATED_AT);
    }

    private static int limit(String value) {
        if (value == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw GatewayException.badRequest("invalid_limit", "limit: " + value + " (expected: an integer from 1 to 1000)");
    }
}

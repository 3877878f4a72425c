package dev.antler.suno;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Clips and songs as an upstream reports them carry the upstream account's identity and activity; clients
 * must not see whose account made their song (one-hub strips {@code user_id} for the same reason). This
 * removes those fields at any depth, and any value equal to the upstream's task id (Udio's
 * {@code generation_id} is that id; a lyrics object's {@code id} may be).
 *
 * <p>Removed: Suno's {@code user_id, handle, display_name, avatar_image_url, is_handle_updated, is_following,
 * user_display_name, user_handle, user_image_url} (who) and {@code is_liked, is_trashed, reaction, flag_count,
 * is_public, play_count, upvote_count, allow_comments, comment_count} (what that account did with the clip);
 * Udio's {@code user_id, artist, artist_image, user_tags, liked, disliked, likes, plays, publishable,
 * published_at, generation_id}.
 */
public final class AccountFields {

    public static final Set<String> REMOVED = Set.of(
            "user_id", "handle", "display_name", "avatar_image_url", "is_handle_updated", "is_following",
            "user_display_name", "user_handle", "user_image_url",
            "is_liked", "is_trashed", "reaction", "flag_count", "is_public", "play_count", "upvote_count",
            "allow_comments", "comment_count",
            "artist", "artist_image", "user_tags", "liked", "disliked", "likes", "plays", "publishable",
            "published_at", "generation_id");

    private AccountFields() {}

    /**
     * A copy of {@code node} without the account fields and without any string equal to {@code upstreamId}
     * (null: none to remove).
     */
    public static JsonNode strip(JsonNode node, String upstreamId) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        clean(copy, upstreamId == null || upstreamId.isEmpty() ? null : upstreamId);
        return copy;
    }

    private static void clean(JsonNode node, String upstreamId) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (REMOVED.contains(field.getKey()) || isId(field.getValue(), upstreamId)) {
                    fields.remove();
                } else {
                    clean(field.getValue(), upstreamId);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (isId(array.get(i), upstreamId)) {
                    array.remove(i);
                } else {
                    clean(array.get(i), upstreamId);
                }
            }
        }
    }

    private static boolean isId(JsonNode value, String upstreamId) {
        return upstreamId != null && value.isString() && value.asString().equals(upstreamId);
    }
}

package dev.antler.suno;

import dev.antler.core.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client's batch fetch, {@code POST /suno/fetch {"ids":[...], "action":"MUSIC"|"LYRICS"}}: the gateway task
 * ids to show (the caller's own; others are left out, as new-api does) and, if given, the action to keep.
 *
 * @param action the upper-cased action to keep, or null for all
 */
public record SunoFetchQuery(List<String> ids, String action) {

    /** More ids than this in one query is refused: each one is a store read. */
    public static final int MAX_IDS = 200;

    public SunoFetchQuery {
        ids = List.copyOf(ids);
    }

    public static SunoFetchQuery of(ObjectNode body) {
        JsonNode ids = body.get("ids");
        List<String> out = new ArrayList<>();
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) {
                throw GatewayException.badRequest("invalid_ids", "ids: " + ids.getNodeType()
                        + " (expected: an array of task ids)");
            }
            if (ids.size() > MAX_IDS) {
                throw GatewayException.badRequest("too_many_ids", "ids: " + ids.size() + " ids (expected: at most "
                        + MAX_IDS + ")");
            }
            for (int i = 0; i < ids.size(); i++) {
                if (!ids.get(i).isString()) {
                    throw GatewayException.badRequest("invalid_ids", "ids[" + i + "]: " + ids.get(i)
                            + " (expected: a task id string)");
                }
                out.add(ids.get(i).asString());
            }
        }
        String action = new SunoInput(body, "").text("action");
        return new SunoFetchQuery(out, action == null || action.isBlank() ? null : action.toUpperCase(Locale.ROOT));
    }
}

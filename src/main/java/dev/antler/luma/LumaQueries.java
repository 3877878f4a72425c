package dev.antler.luma;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.Tasks;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The free reads: a generation by id — the caller's own (another user's is a 404 like an unknown one), refreshed
 * once from Luma while unfinished (through the engine, so a completion or failure it sees moves money exactly as a
 * poll would), in the format of the route asked — and the official list {@code GET /dream-machine/v1/generations
 * ?limit=&offset=} from the store, newest first. Logged at zero cost.
 */
final class LumaQueries {

    static final int MAX_LIMIT = 100;

    private final FamilyContext context;
    private final Tasks tasks;
    private final LumaTasks family;

    LumaQueries(FamilyContext context, LumaTasks family) {
        this.context = requireNonNull(context, "context");
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
    }

    void one(Exchange ex, String id, LumaFormat format) {
        authed(ex, principal -> {
            Task task = tasks.store().find(id)
                    .filter(t -> t.userId() == principal.user().id() && t.family().equals(LumaTasks.FAMILY)
                            && !t.deleted())
                    .orElseThrow(() -> GatewayException.notFound("generation_not_found", "id: " + id
                            + " (expected: the id of one of your generations)"));
            TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(task, family::fetch);
            log(ex, principal, "luma.get", refreshed.channelId(), refreshed.error());
            return format == LumaFormat.REVERSE ? LumaView.reverse(refreshed.task(), base(ex))
                    : LumaView.generation(refreshed.task(), base(ex));
        });
    }

    void list(Exchange ex) {
        int limit = intParam(ex, "limit", 10, 1, MAX_LIMIT);
        int offset = intParam(ex, "offset", 0, 0, 1_000_000);
        authed(ex, principal -> {
            List<Task> page = tasks.store().list(principal.user().id(), LumaTasks.FAMILY, null, limit + 1, offset)
                    .stream().filter(t -> !t.deleted()).toList();
            ObjectNode out = Json.object();
            ArrayNode generations = out.putArray("generations");
            page.stream().limit(limit).forEach(t -> generations.add(LumaView.generation(t, base(ex))));
            out.put("count", generations.size());
            out.put("has_more", page.size() > limit);
            out.put("limit", limit);
            out.put("offset", offset);
            log(ex, principal, "luma.list", null, null);
            return out;
        });
    }

    /** The base of the links in an answer to {@code ex}: the configured public base URL, else its host. */
    private String base(Exchange ex) {
        return ResultLinks.base(context.publicBaseUrl(), ex.request());
    }

    private void authed(Exchange ex, Function<Principal, ObjectNode> work) {
        context.relay().authenticated(ClientKey.of(ex.request()), principal -> work.apply(principal))
                .onSuccess(body -> ex.json(200, Buffer.buffer(Json.bytes(body))))
                .onFailure(ex::fail);
    }

    private void log(Exchange ex, Principal principal, String endpoint, Long channelId, String error) {
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint, LumaTasks.FAMILY,
                channelId, 200, ex.elapsedMillis(), "complete", error);
    }

    private static int intParam(Exchange ex, String name, int fallback, int min, int max) {
        String value = ex.request().getParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw LumaFields.bad(name, value, "an integer from " + min + " to " + max);
    }
}

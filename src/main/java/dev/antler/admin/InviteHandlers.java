package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.accounts.Group;
import dev.antler.console.InviteStore;
import dev.antler.console.InviteStore.Invite;
import io.vertx.core.Future;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Invitations: a link that lets one person create an account (with {@code POST /api/signup}) in a group. The token
 * is in the creating answer only.
 */
final class InviteHandlers {

    /** Where the console's sign-up page is, under the gateway's address. */
    static final String SIGNUP_PAGE = "/console/signup?invite=";

    private final AdminContext context;
    private final InviteStore store;

    InviteHandlers(AdminContext context) {
        this.context = context;
        this.store = context.console().invites();
    }

    void register(AdminRoutes routes) {
        routes.add(POST, "invites", this::create)
                .add(GET, "invites", this::list)
                .add(DELETE, "invites/{id}", this::revoke);
    }

    private Future<Reply> create(AdminCall call) {
        Fields f = call.fields(Set.of("group", "expires_at"));
        String group = f.optionalName("group", Fields.GROUP_NAME, GroupHandlers.NAME_EXPECTED);
        Long expiresAt = f.optionalTime("expires_at");
        String base = baseUrl(call);
        return call.blocking(() -> {
            String groupName = group == null ? Group.DEFAULT : group;
            UserHandlers.requireGroup(context.accounts(), groupName);
            InviteStore.Created created = store.create(groupName, expiresAt);
            ObjectNode node = view(created.invite());
            node.put("token", created.token());
            node.put("url", base + SIGNUP_PAGE + created.token());
            return Reply.created(node);
        });
    }

    private Future<Reply> list(AdminCall call) {
        int limit = call.limit();
        int offset = call.offset();
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            store.list(limit, offset).forEach(i -> data.add(view(i)));
            return Reply.ok(AdminJson.page(data, limit, offset));
        });
    }

    private Future<Reply> revoke(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> {
            if (!store.revoke(id)) {
                throw Problems.notFound("invite", id, "the id of an active invite");
            }
            ObjectNode node = AdminJson.object();
            node.put("id", id);
            node.put("status", "revoked");
            return Reply.ok(node);
        });
    }

    /** console.public_base_url, else the address this request came to (as the gateway believes it). */
    private String baseUrl(AdminCall call) {
        String configured = context.console().config().publicBaseUrl();
        if (configured != null) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        var request = call.exchange().request();
        String host = request.authority() == null ? "localhost" : request.authority().toString();
        return (context.console().peer().secure(request) ? "https://" : "http://") + host;
    }

    private static ObjectNode view(Invite i) {
        ObjectNode node = AdminJson.object();
        node.put("id", i.id());
        node.put("group", i.group());
        node.put("status", i.status());
        AdminJson.putTime(node, "expires_at", i.expiresAt());
        if (i.usedBy() == null) {
            node.putNull("used_by");
        } else {
            node.put("used_by", i.usedBy());
        }
        AdminJson.putTime(node, "used_at", i.usedAt());
        node.put("created_at", AdminJson.iso(i.createdAt()));
        return node;
    }
}

package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PUT;

import dev.antler.accounts.Group;
import dev.antler.admin.AdminEdits.Kind;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** User groups and their price multipliers. */
final class GroupHandlers {

    static final String NAME_EXPECTED = "1 to 64 letters, digits, '.', '_' or '-'";
    private static final String MULTIPLIER_EXPECTED = "a number from 0 to 1000 with at most 6 decimal places";
    private static final BigDecimal MAX_MULTIPLIER = BigDecimal.valueOf(1000);

    private final AdminContext context;

    GroupHandlers(AdminContext context) {
        this.context = context;
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "groups", this::list)
                .add(PUT, "groups/{name}", this::put);
    }

    private Future<Reply> list(AdminCall call) {
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            context.accounts().listGroups().forEach(g -> data.add(view(g)));
            return Reply.ok(AdminJson.list(data));
        });
    }

    /** Creates or replaces a group; an absent description keeps the stored one, null removes it. */
    private Future<Reply> put(AdminCall call) {
        String name = call.param("name");
        if (!Fields.GROUP_NAME.matcher(name).matches()) {
            throw Problems.invalid("name", name, NAME_EXPECTED);
        }
        Fields f = call.fields(Set.of("multiplier", "description"));
        BigDecimal multiplier = f.optionalDecimal("multiplier", MULTIPLIER_EXPECTED);
        if (multiplier == null || multiplier.signum() < 0 || multiplier.compareTo(MAX_MULTIPLIER) > 0
                || multiplier.stripTrailingZeros().scale() > 6) {
            throw Problems.invalid("multiplier", f.shown("multiplier"), MULTIPLIER_EXPECTED);
        }
        long ppm = multiplier.movePointRight(6).longValueExact();
        String description = f.optionalText("description", 1000);
        return call.blocking(() -> {
            Optional<Group> existing = context.accounts().findGroup(name);
            String kept = f.has("description") ? description : existing.map(Group::description).orElse(null);
            context.accounts().upsertGroup(new Group(name, ppm, kept));
            context.edits().record(Kind.GROUP, name);
            // principals carry their group's multiplier
            context.authenticator().invalidateAll();
            Group stored = context.accounts().findGroup(name).orElseThrow();
            return new Reply(existing.isPresent() ? 200 : 201, view(stored));
        });
    }

    private static ObjectNode view(Group group) {
        ObjectNode node = AdminJson.object();
        node.put("name", group.name());
        node.put("multiplier", BigDecimal.valueOf(group.multiplierPpm(), 6).stripTrailingZeros());
        node.put("description", group.description());
        return node;
    }
}

package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Group;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.admin.AdminEdits.Kind;
import dev.antler.console.CredentialStore;
import dev.antler.console.Passwords;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Users: listing, creation with an opening balance, group, status and admin-mark changes, console passwords, top-ups and the ledger. */
final class UserHandlers {

    private static final Pattern STATUS = Pattern.compile("active|disabled");

    private final AdminContext context;
    private final AccountStore accounts;
    private final CredentialStore credentials;

    UserHandlers(AdminContext context) {
        this.context = context;
        this.accounts = context.accounts();
        this.credentials = context.console().credentials();
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "users", this::list)
                .add(POST, "users", this::create)
                .add(GET, "users/{id}", this::get)
                .add(PATCH, "users/{id}", this::update)
                .add(POST, "users/{id}/topup", this::topUp)
                .add(GET, "users/{id}/ledger", this::ledger)
                .add(PUT, "users/{id}/password", this::setPassword);
    }

    private Future<Reply> list(AdminCall call) {
        int limit = call.limit();
        int offset = call.offset();
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            List<User> users = accounts.listUsers(limit, offset);
            Set<Long> admins = credentials.adminsAmong(users.stream().map(User::id).toList());
            users.forEach(u -> data.add(view(u, admins.contains(u.id()))));
            return Reply.ok(AdminJson.page(data, limit, offset));
        });
    }

    private Future<Reply> create(AdminCall call) {
        Fields f = call.fields(Set.of("name", "group", "balance", "password", "is_admin"));
        String name = f.text("name", 128);
        String group = f.optionalName("group", Fields.GROUP_NAME, GroupHandlers.NAME_EXPECTED);
        Long opening = f.optionalUsd("balance", false);
        String password = f.has("password") ? f.secret("password", Passwords.MIN_LENGTH, Passwords.MAX_LENGTH) : null;
        boolean admin = Boolean.TRUE.equals(f.optionalBoolean("is_admin"));
        return call.blocking(() -> {
                    if (accounts.findUserByName(name).isPresent()) {
                        throw Problems.conflict("name", name, "a name no other user has");
                    }
                    String groupName = group == null ? Group.DEFAULT : group;
                    requireGroup(accounts, groupName);
                    User created = accounts.createUser(name, groupName, Status.ACTIVE);
                    context.edits().record(Kind.USER, created.id());
                    if (password != null) {
                        credentials.setPassword(created.id(), Passwords.hash(password));
                    }
                    if (admin) {
                        credentials.setAdmin(created.id(), true);
                    }
                    return created;
                })
                .compose(user -> opening == null || opening == 0
                        ? Future.succeededFuture(user.id())
                        : call.credit(user.id(), opening, "opening", "opening balance").map(balance -> user.id()))
                .compose(id -> call.blocking(() -> Reply.created(view(find(id)))));
    }

    private Future<Reply> get(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> Reply.ok(view(find(id))));
    }

    private Future<Reply> update(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(Set.of("group", "status", "is_admin"));
        String group = f.optionalName("group", Fields.GROUP_NAME, GroupHandlers.NAME_EXPECTED);
        Status status = status(f);
        Boolean admin = f.optionalBoolean("is_admin");
        if (f.isEmpty()) {
            throw Problems.invalid("body", "{}", "at least one of group, status, is_admin");
        }
        return call.blocking(() -> {
            User user = find(id);
            if (group != null) {
                requireGroup(accounts, group);
            }
            accounts.updateUser(id, group == null ? user.group() : group, status == null ? user.status() : status);
            context.edits().record(Kind.USER, id);
            if (admin != null && admin != credentials.isAdmin(id)) {
                credentials.setAdmin(id, admin);
                context.console().sessions().endForUser(id); // a session's role is fixed at sign-in
            }
            if (status == Status.DISABLED) {
                context.console().sessions().endForUser(id);
            }
            // principals carry the user's group and status
            context.authenticator().invalidateAll();
            return Reply.ok(view(find(id)));
        });
    }

    private Future<Reply> topUp(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(Set.of("amount", "note"));
        Long amount = f.optionalUsd("amount", true);
        if (amount == null || amount == 0) {
            throw Problems.invalid("amount", f.shown("amount"), "a non-zero amount of USD (negative to deduct)");
        }
        String note = f.optionalText("note", 1000);
        String kind = amount > 0 ? "topup" : "adjust";
        return call.blocking(() -> find(id))
                .compose(user -> call.credit(id, amount, kind, note))
                .map(balance -> {
                    ObjectNode body = AdminJson.object();
                    body.put("user_id", id);
                    body.put("kind", kind);
                    AdminJson.putUsd(body, "amount", amount);
                    AdminJson.putUsd(body, "balance", balance);
                    return Reply.ok(body);
                });
    }

    private Future<Reply> ledger(AdminCall call) {
        long id = call.id("id");
        int limit = call.limit();
        int offset = call.offset();
        return call.blocking(() -> {
            find(id);
            ArrayNode data = AdminJson.array();
            for (LedgerRows.Row row : LedgerRows.list(context.database(), id, limit, offset)) {
                ObjectNode node = data.addObject();
                node.put("id", row.id());
                AdminJson.putUsd(node, "amount", row.amountNanos());
                node.put("kind", row.kind());
                node.put("reference", row.reference());
                node.put("note", row.note());
                node.put("time", AdminJson.iso(row.createdAt()));
            }
            return Reply.ok(AdminJson.page(data, limit, offset));
        });
    }

    /** {@code PUT users/{id}/password}: sets the user's console password; their open sessions end. */
    private Future<Reply> setPassword(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(Set.of("password"));
        String password = f.secret("password", Passwords.MIN_LENGTH, Passwords.MAX_LENGTH);
        return call.blocking(() -> {
            User user = find(id);
            credentials.setPassword(id, Passwords.hash(password));
            context.console().sessions().endForUser(id);
            return Reply.ok(view(user));
        });
    }

    private ObjectNode view(User user) {
        return view(user, credentials.find(user.id()));
    }

    private static ObjectNode view(User user, Optional<CredentialStore.Credential> credential) {
        ObjectNode node = view(user, credential.map(CredentialStore.Credential::admin).orElse(false));
        node.put("has_password", credential.map(c -> c.passwordHash() != null).orElse(false));
        return node;
    }

    private User find(long id) {
        return accounts.findUser(id).orElseThrow(() -> Problems.notFound("user", id, "an existing user id"));
    }

    static void requireGroup(AccountStore accounts, String group) {
        if (accounts.findGroup(group).isEmpty()) {
            throw Problems.invalid("group", group, "an existing group (create it with PUT /api/admin/groups/{name})");
        }
    }

    static Status status(Fields f) {
        String status = f.optionalName("status", STATUS, "active or disabled");
        return status == null ? null : Status.of(status);
    }

    static ObjectNode view(User user, boolean admin) {
        ObjectNode node = AdminJson.object();
        node.put("id", user.id());
        node.put("name", user.name());
        node.put("group", user.group());
        node.put("status", user.status().dbValue());
        AdminJson.putUsd(node, "balance", user.balanceNanos());
        AdminJson.putUsd(node, "used", user.usedNanos());
        node.put("request_count", user.requestCount());
        node.put("created_at", AdminJson.iso(user.createdAt()));
        node.put("is_admin", admin);
        return node;
    }
}

package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.billing.DeadLetters.Letter;
import dev.antler.billing.LedgerBacklog;
import dev.antler.billing.LedgerWriter;
import io.vertx.core.Future;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /admin/ledger}: how far the ledger writer is behind the relay (and whether the store accepts
 * writes), and the dead-letter file: its entries, and the command that re-applies them.
 */
final class LedgerHandlers {

    private final AdminContext context;
    private final LedgerWriter ledger;

    LedgerHandlers(AdminContext context) {
        this.context = context;
        this.ledger = context.ledger();
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "ledger", call -> Future.succeededFuture(Reply.ok(status())))
                .add(GET, "ledger/dead-letters", this::list)
                .add(POST, "ledger/dead-letters/replay", this::replay);
    }

    private ObjectNode status() {
        LedgerBacklog backlog = ledger.backlog();
        ObjectNode node = AdminJson.object();
        node.put("queued", ledger.backlogSize());
        node.put("oldest_unwritten_ms", backlog.oldestUnwrittenMillis());
        node.put("store_writable", backlog.failingSince() == 0);
        AdminJson.putTime(node, "failing_since", backlog.failingSince() == 0 ? null : backlog.failingSince());
        node.put("last_failure", backlog.lastFailure());
        node.put("dead_letters", ledger.deadLetters().count());
        node.put("dead_letter_file", ledger.deadLetters().file().toAbsolutePath().toString());
        return node;
    }

    private Future<Reply> list(AdminCall call) {
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            ledger.deadLetters().list().forEach(l -> data.add(view(l)));
            ObjectNode body = AdminJson.object();
            body.set("data", data);
            return Reply.ok(body);
        });
    }

    private Future<Reply> replay(AdminCall call) {
        return Future.fromCompletionStage(ledger.replay(letter -> true), context.vertx().getOrCreateContext())
                .map(replayed -> {
                    ObjectNode body = AdminJson.object();
                    body.put("applied", replayed.applied());
                    body.put("already_applied", replayed.alreadyApplied());
                    body.put("rejected", replayed.rejected());
                    body.put("dead_letters", ledger.deadLetters().count());
                    return Reply.ok(body);
                });
    }

    private static ObjectNode view(Letter l) {
        ObjectNode node = AdminJson.object();
        node.put("id", l.id());
        node.put("reason", l.reason());
        node.put("error", l.error());
        AdminJson.putTime(node, "at", l.at());
        node.put("user_id", l.userId());
        node.put("key_id", l.keyId() == 0 ? null : l.keyId());
        AdminJson.putUsd(node, "amount", l.balanceDelta());
        node.put("kind", l.kind());
        node.put("reference", l.reference());
        node.put("note", l.note());
        node.put("request_id", l.usage() == null ? null : l.usage().requestId());
        node.put("model", l.usage() == null ? null : l.usage().model());
        return node;
    }
}

package dev.antler.pika;

import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.http.ErrorFormat;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.json.Json;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pika through the relays' reverse format (Pika has no API of its own for these routes): {@code POST
 * /pika/generate} answered {@code {"id": "<the gateway's task id>"}}, and {@code GET /pika/feed/{id}}. The channel
 * type {@code pika} has no default base URL — it is another relay serving these routes, which each channel names —
 * and no probe: a reverse relay has no free route that proves a key. Errors are in the OpenAI envelope those relays
 * answer theirs in.
 */
public final class PikaFamily implements Family {

    static final ChannelType CHANNEL_TYPE = new ChannelType("pika", null, UpstreamAuth.bearer(), null);
    static final String FEED = "/pika/feed/";

    @Override
    public String name() {
        return PikaTasks.FAMILY;
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return OpenAiErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return PikaPrices.table();
    }

    @Override
    public void mount(FamilyContext context) {
        PikaTasks tasks = new PikaTasks(context.taskUpstream());
        context.tasks().register(tasks);
        context.tasks().results().register(PikaTasks.FAMILY, PikaFiles::files);
        PikaSubmit submit = new PikaSubmit(context.publicBaseUrl());
        context.tasks().videoDialects().add(new PikaDialect(submit, tasks));
        PikaQueries queries = new PikaQueries(context, tasks);
        context.routes().add(HttpMethod.POST, PikaSubmit.PATH, errors(), ex -> context.relay().handle(ex, submit));
        context.routes().prefix(FEED, errors(), ex -> {
            String id = ex.request().path().substring(FEED.length());
            if (ex.request().method() != HttpMethod.GET) {
                ex.fail(new GatewayException(405, ErrorKind.INVALID_REQUEST, "method_not_allowed", "method: "
                        + ex.request().method() + " " + ex.request().path() + " (expected: GET " + FEED + "{id})"));
            } else if (id.isEmpty() || id.contains("/")) {
                ex.fail(GatewayException.notFound("not_found", "path: " + ex.request().path() + " (expected: "
                        + FEED + "{id})"));
            } else {
                queries.feed(ex, id);
            }
        });
    }

    /** A refusal by the relay, in the OpenAI envelope: the client is not charged for it. */
    static byte[] refusal(String message) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.putNull("param");
        error.put("code", "upstream_refused");
        return Json.bytes(root);
    }
}

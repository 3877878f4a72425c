package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Group;
import dev.antler.accounts.Status;
import dev.antler.admin.AdminEdits.Kind;
import dev.antler.family.ChannelType;
import dev.antler.family.Families;
import dev.antler.health.ChannelProbes;
import dev.antler.health.ChannelSwitch;
import dev.antler.health.ChannelTester;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelStore;
import dev.antler.routing.ChannelTimeouts;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream channels. The upstream key is write-only: answers show {@code key_hint}, never the key.
 * Every change replaces the routing snapshot, so the next request routes by it.
 */
final class ChannelHandlers {

    private static final Set<String> FIELDS = Set.of("name", "type", "base_url", "key", "models", "model_mapping",
            "priority", "weight", "groups", "enabled", "connect_timeout_ms", "idle_timeout_ms", "total_timeout_ms");
    private static final int MAX_TIMEOUT_MS = 86_400_000;

    private final AdminContext context;
    private final ChannelStore channels;
    private final Families families;
    /**
     * Serializes channel writes, so the routing snapshot ends with the last stored state; the registry
     * is the lock the gateway's own status changes ({@code ChannelSwitch}) take too.
     */
    private final Object writes;
    private final ChannelTester tester;

    ChannelHandlers(AdminContext context) {
        this.context = context;
        this.channels = context.channels();
        this.families = context.families();
        this.writes = context.registry();
        this.tester = new ChannelTester(context.vertx().createHttpClient(), context.registry(),
                new ChannelSwitch(context.vertx(), context.channels(), context.registry(), context.edits().notices()),
                ChannelProbes.of(families));
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "channels", this::list)
                .add(POST, "channels", this::create)
                .add(GET, "channels/{id}", this::get)
                .add(PATCH, "channels/{id}", this::update)
                .add(DELETE, "channels/{id}", this::delete)
                .add(POST, "channels/{id}/test", this::test);
    }

    /** Sends the channel's test request now; a passing channel the gateway disabled itself is enabled again. */
    private Future<Reply> test(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> guard(find(id)))
                .compose(tester::test)
                .compose(result -> call.blocking(() -> {
                    ObjectNode body = AdminJson.object();
                    body.put("channel_id", result.channelId());
                    body.put("testable", result.testable());
                    body.put("passed", result.passed());
                    body.put("status", result.status());
                    body.put("latency_ms", result.latencyMs());
                    body.put("message", result.message());
                    body.put("re_enabled", result.reEnabled());
                    body.put("disabled", result.disabled());
                    body.set("channel", view(find(id)));
                    return Reply.ok(body);
                }));
    }

    private Future<Reply> list(AdminCall call) {
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            channels.list().forEach(c -> data.add(view(c)));
            data.forEach(node -> health((ObjectNode) node));
            return Reply.ok(AdminJson.list(data));
        });
    }

    private Future<Reply> create(AdminCall call) {
        Fields f = call.fields(FIELDS);
        f.text("name", 128);
        f.text("key", 4096);
        Channel defaults = new Channel(0, "", families.defaultChannelType().name(), "", "", Set.of(), Map.of(), 0, 1,
                Set.of(Group.DEFAULT), Status.ACTIVE, null);
        Channel channel = apply(f, defaults);
        return call.blocking(() -> {
            guard(channel.baseUrl());
            synchronized (writes) {
                if (channels.findByName(channel.name()).isPresent()) {
                    throw Problems.conflict("name", channel.name(), "a name no other channel has");
                }
                Channel stored = channels.upsert(channel);
                context.edits().record(Kind.CHANNEL, stored.name());
                context.registry().replace(channels.list());
                return Reply.created(view(stored));
            }
        });
    }

    private Future<Reply> get(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> Reply.ok(health(view(find(id)))));
    }

    private Future<Reply> update(AdminCall call) {
        long id = call.id("id");
        Fields f = call.fields(FIELDS);
        if (f.isEmpty()) {
            throw Problems.invalid("body", "{}", "at least one channel field");
        }
        return call.blocking(() -> {
            synchronized (writes) {
                Channel before = find(id);
                Channel changed = apply(f, before);
                if (f.has("base_url") || Boolean.TRUE.equals(f.optionalBoolean("enabled"))) {
                    guard(changed.baseUrl());
                }
                Optional<Channel> sameName = channels.findByName(changed.name());
                if (sameName.isPresent() && sameName.get().id() != id) {
                    throw Problems.conflict("name", changed.name(), "a name no other channel has");
                }
                Channel stored = channels.update(changed);
                // both names: the config file's entry under the old name must not come back as a new channel
                context.edits().record(Kind.CHANNEL, before.name());
                context.edits().record(Kind.CHANNEL, stored.name());
                if (Boolean.TRUE.equals(f.optionalBoolean("enabled"))) {
                    context.registry().health().reset(id);
                }
                context.registry().replace(channels.list());
                return Reply.ok(view(stored));
            }
        });
    }

    private Future<Reply> delete(AdminCall call) {
        long id = call.id("id");
        return call.blocking(() -> {
            synchronized (writes) {
                Channel deleted = find(id);
                channels.delete(id);
                context.edits().record(Kind.CHANNEL, deleted.name());
                context.registry().replace(channels.list());
            }
            ObjectNode body = AdminJson.object();
            body.put("id", id);
            body.put("deleted", true);
            return Reply.ok(body);
        });
    }

    /** {@code channel}, if its base URL is allowed: a test request must not reach a refused address either. */
    private Channel guard(Channel channel) {
        guard(channel.baseUrl());
        return channel;
    }

    /** Refuses a base URL at a private address unless the config allows it (resolves: call off the event loop). */
    private void guard(String baseUrl) {
        if (!baseUrl.isBlank()) {
            context.baseUrlGuard().refusal(baseUrl).ifPresent(expected -> {
                throw Problems.invalid("base_url", baseUrl, expected);
            });
        }
    }

    /**
     * {@code base} with the fields present in {@code f}; validates every present field, and that the
     * channel has a base URL unless its type has a default one.
     */
    private Channel apply(Fields f, Channel base) {
        String name = f.optionalText("name", 128);
        String type = f.optionalText("type", 128);
        if (type != null && families.channelType(type).isEmpty()) {
            throw Problems.invalid("type", type, families.expectedType());
        }
        String baseUrl = f.optionalText("base_url", 2048);
        if (baseUrl != null) {
            BaseUrls.check(baseUrl);
        }
        ChannelType channelType = families.channelType(type == null ? base.type() : type).orElse(null);
        if ((baseUrl == null ? base.baseUrl() : baseUrl).isBlank() && channelType != null
                && channelType.defaultBaseUrl() == null) {
            throw Problems.invalid("base_url", "missing", "the upstream's URL: channels of type "
                    + channelType.name() + " have no default");
        }
        String key = f.optionalText("key", 4096);
        Integer priority = f.optionalInt("priority", -1_000_000, 1_000_000);
        Integer weight = f.optionalInt("weight", 0, 1_000_000);
        Boolean enabled = f.optionalBoolean("enabled");
        Set<String> groups = f.names("groups", Fields.GROUP_NAME, GroupHandlers.NAME_EXPECTED);
        if (f.has("groups") && groups.isEmpty()) {
            throw Problems.invalid("groups", f.shown("groups"), "at least one group name");
        }
        Status status = enabled == null ? base.status() : enabled ? Status.ACTIVE : Status.DISABLED;
        ChannelTimeouts timeouts = new ChannelTimeouts(
                timeout(f, "connect_timeout_ms", base.timeouts().connectMs()),
                timeout(f, "idle_timeout_ms", base.timeouts().idleMs()),
                timeout(f, "total_timeout_ms", base.timeouts().totalMs()));
        return new Channel(base.id(),
                name == null ? base.name() : name,
                type == null ? base.type() : type,
                baseUrl == null ? base.baseUrl() : baseUrl,
                key == null ? base.apiKey() : key,
                f.has("models") ? f.models("models") : base.models(),
                f.has("model_mapping") ? f.mapping("model_mapping") : base.modelMapping(),
                priority == null ? base.priority() : priority,
                weight == null ? base.weight() : weight,
                f.has("groups") ? groups : base.groups(),
                status,
                enabled == null ? base.statusReason() : null,
                timeouts);
    }

    /** A timeout field: absent keeps {@code current}; null resets to the default. */
    private static Long timeout(Fields f, String name, Long current) {
        if (!f.has(name)) {
            return current;
        }
        Integer ms = f.optionalInt(name, 1, MAX_TIMEOUT_MS);
        return ms == null ? null : ms.longValue();
    }

    /** Adds the live circuit-breaker state to a channel view. */
    private ObjectNode health(ObjectNode node) {
        ChannelHealth.View h = context.registry().health().view(node.path("id").asLong());
        ObjectNode health = node.putObject("health");
        health.put("breaker", h.state());
        health.put("breaker_opened_elsewhere", h.openedElsewhere());
        health.put("recent_failures", h.recentFailures());
        if (h.coolUntil() == null) {
            health.putNull("retry_after_until");
        } else {
            health.put("retry_after_until", AdminJson.iso(h.coolUntil()));
        }
        return node;
    }

    private Channel find(long id) {
        return channels.find(id).orElseThrow(() -> Problems.notFound("channel", id, "an existing channel id"));
    }

    static ObjectNode view(Channel c) {
        ObjectNode node = AdminJson.object();
        node.put("id", c.id());
        node.put("name", c.name());
        node.put("type", c.type());
        node.put("base_url", c.baseUrl());
        node.put("key_hint", ApiKeys.hint(c.apiKey()));
        ArrayNode models = node.putArray("models");
        c.models().forEach(models::add);
        ObjectNode mapping = node.putObject("model_mapping");
        c.modelMapping().forEach(mapping::put);
        node.put("priority", c.priority());
        node.put("weight", c.weight());
        ArrayNode groups = node.putArray("groups");
        c.groups().forEach(groups::add);
        node.put("enabled", c.status() == Status.ACTIVE);
        node.put("status_reason", c.statusReason());
        node.put("connect_timeout_ms", c.timeouts().connect());
        node.put("idle_timeout_ms", c.timeouts().idle());
        node.put("total_timeout_ms", c.timeouts().total());
        return node;
    }
}

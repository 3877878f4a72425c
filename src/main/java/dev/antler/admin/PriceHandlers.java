package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PUT;

import dev.antler.admin.AdminEdits.Kind;
import dev.antler.billing.Price;
import dev.antler.billing.PriceStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prices: the built-in defaults overlaid by the operator's overrides. A PUT replaces a model's
 * override whole; a DELETE removes it, and the default (if any) applies again. Every answered price
 * also carries the model's built-in default ({@code "default"}, null when it has none), so an
 * override can be read beside what it replaces.
 */
final class PriceHandlers {

    private static final List<String> COMPONENTS = List.of("input_per_mtok", "output_per_mtok",
            "cached_input_per_mtok", "cache_write_per_mtok", "per_image", "per_call", "per_second");

    private final AdminContext context;
    private final PriceStore prices;
    /** Serializes price writes, so the price book ends with the last stored table. */
    private final Object writes = new Object();

    PriceHandlers(AdminContext context) {
        this.context = context;
        this.prices = context.prices();
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "prices", this::list)
                .add(GET, "prices/{model*}", this::get)
                .add(PUT, "prices/{model*}", this::put)
                .add(DELETE, "prices/{model*}", this::delete);
    }

    private Future<Reply> list(AdminCall call) {
        return call.blocking(() -> {
            Map<String, Price> overrides = prices.all();
            Map<String, Price> effective = new TreeMap<>(context.priceBook().defaults());
            effective.putAll(overrides);
            ArrayNode data = AdminJson.array();
            effective.forEach((model, price) -> data.add(view(model, price, overrides.containsKey(model))));
            return Reply.ok(AdminJson.list(data));
        });
    }

    private Future<Reply> get(AdminCall call) {
        String model = model(call);
        return call.blocking(() -> Reply.ok(effective(model)));
    }

    private Future<Reply> put(AdminCall call) {
        String model = model(call);
        Fields f = call.fields(Set.copyOf(COMPONENTS));
        Long[] nanos = new Long[COMPONENTS.size()];
        boolean any = false;
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = f.optionalUsd(COMPONENTS.get(i), false);
            any |= nanos[i] != null;
        }
        if (!any) {
            throw Problems.invalid("body", "{}", "at least one of " + String.join(", ", COMPONENTS));
        }
        Price price = new Price(nanos[0], nanos[1], nanos[2], nanos[3], nanos[4], nanos[5], nanos[6]);
        return call.blocking(() -> {
            synchronized (writes) {
                prices.put(model, price);
                context.edits().record(Kind.PRICE, model);
                context.priceBook().replaceOverrides(prices.all());
            }
            return Reply.ok(view(model, price, true));
        });
    }

    private Future<Reply> delete(AdminCall call) {
        String model = model(call);
        return call.blocking(() -> {
            synchronized (writes) {
                if (!prices.delete(model)) {
                    throw Problems.notFound("model", model,
                            "a model with a price override (defaults cannot be deleted)");
                }
                context.edits().record(Kind.PRICE, model);
                context.priceBook().replaceOverrides(prices.all());
            }
            Price fallback = context.priceBook().defaults().get(model);
            ObjectNode body = AdminJson.object();
            body.put("model", model);
            body.put("deleted", true);
            body.set("effective", fallback == null ? null : view(model, fallback, false));
            return Reply.ok(body);
        });
    }

    private ObjectNode effective(String model) {
        Price override = prices.all().get(model);
        if (override != null) {
            return view(model, override, true);
        }
        Price fallback = context.priceBook().defaults().get(model);
        if (fallback == null) {
            throw Problems.notFound("model", model, "a model with a default price or an override");
        }
        return view(model, fallback, false);
    }

    private static String model(AdminCall call) {
        String model = call.param("model");
        if (model.isBlank() || model.length() > 191 || model.chars().anyMatch(Character::isISOControl)) {
            throw Problems.invalid("model", model, "a model name of 1 to 191 characters");
        }
        return model;
    }

    private ObjectNode view(String model, Price price, boolean override) {
        ObjectNode node = AdminJson.object();
        node.put("model", model);
        node.put("source", override ? "override" : "default");
        putComponents(node, price);
        Price builtIn = context.priceBook().defaults().get(model);
        if (builtIn == null) {
            node.putNull("default");
        } else {
            putComponents(node.putObject("default"), builtIn);
        }
        return node;
    }

    private static void putComponents(ObjectNode node, Price price) {
        Long[] values = {price.inputPerMtok(), price.outputPerMtok(), price.cachedInputPerMtok(),
                price.cacheWritePerMtok(), price.perImage(), price.perCall(), price.perSecond()};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                AdminJson.putUsd(node, COMPONENTS.get(i), values[i]);
            }
        }
    }
}

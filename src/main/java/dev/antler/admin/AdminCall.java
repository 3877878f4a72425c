package dev.antler.admin;

import dev.antler.console.Caller;
import dev.antler.http.Exchange;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import tools.jackson.databind.node.ObjectNode;

/** One admin request after authentication and routing: path parameters, query and JSON body. */
public final class AdminCall {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AdminContext context;
    private final Exchange exchange;
    private final Caller caller;
    private final Map<String, String> params;
    private final ObjectNode body;

    AdminCall(AdminContext context, Exchange exchange, Caller caller, Map<String, String> params, ObjectNode body) {
        this.context = context;
        this.exchange = exchange;
        this.caller = caller;
        this.params = params;
        this.body = body;
    }

    /** Who is calling, as admitted. */
    public Caller caller() {
        return caller;
    }

    public Exchange exchange() {
        return exchange;
    }

    public AdminContext context() {
        return context;
    }

    public String requestId() {
        return exchange.requestId();
    }

    /** A path parameter, URL-decoded. */
    public String param(String name) {
        return params.get(name);
    }

    /** A path parameter that is a row id. */
    public long id(String name) {
        String value = params.get(name);
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // rejected below
        }
        throw Problems.invalid(name, value, "a positive integer id");
    }

    /** The JSON body's fields; only {@code allowed} names may appear. */
    public Fields fields(Set<String> allowed) {
        return Fields.of(body, allowed);
    }

    public String query(String name) {
        String value = exchange.request().getParam(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public int limit() {
        Long limit = queryLong("limit", 1, MAX_LIMIT);
        return limit == null ? DEFAULT_LIMIT : limit.intValue();
    }

    public int offset() {
        Long offset = queryLong("offset", 0, Integer.MAX_VALUE);
        return offset == null ? 0 : offset.intValue();
    }

    /** An integer query parameter within [min, max], or null when absent. */
    public Long queryLong(String name, long min, long max) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // rejected below
        }
        throw Problems.invalid(name, value, "an integer from " + min + " to " + max);
    }

    /** A time query parameter, ISO-8601 or epoch milliseconds, or null when absent. */
    public Long queryTime(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            boolean epochMillis = value.chars().allMatch(Character::isDigit);
            return epochMillis ? Long.parseLong(value) : Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw Problems.invalid(name, value,
                    "an ISO-8601 time such as 2030-01-31T00:00:00Z, or epoch milliseconds");
        }
    }

    /** Runs store work on a worker thread; independent requests do not queue behind each other. */
    public <T> Future<T> blocking(Callable<T> work) {
        return context.vertx().executeBlocking(work, false);
    }

    /**
     * Credits the user through the ledger writer (the only balance writer); completes with the new
     * stored balance. The request id is the ledger row's reference. The user must exist: the writer
     * retries a failing batch until it commits.
     */
    public Future<Long> credit(long userId, long amountNanos, String kind, String note) {
        return Future.fromCompletionStage(context.ledger().credit(userId, amountNanos, kind, requestId(), note),
                context.vertx().getOrCreateContext());
    }
}

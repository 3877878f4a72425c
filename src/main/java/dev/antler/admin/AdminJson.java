package dev.antler.admin;

import dev.antler.billing.Usd;
import java.time.Instant;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the admin API. Unlike the relay's mapper, decimals are read as {@code BigDecimal} (an
 * amount of 0.1 USD must not pass through a {@code double}) and written in plain notation.
 */
public final class AdminJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private AdminJson() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static byte[] bytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Puts an ISO-8601 time, or null. */
    public static void putTime(ObjectNode node, String name, Long epochMillis) {
        if (epochMillis == null) {
            node.putNull(name);
        } else {
            node.put(name, iso(epochMillis));
        }
    }

    /** Puts an amount in USD, or null. */
    public static void putUsd(ObjectNode node, String name, Long nanos) {
        if (nanos == null) {
            node.putNull(name);
        } else {
            node.put(name, Usd.toDecimal(nanos));
        }
    }

    /** A page of rows: {@code {"data": [...], "limit": n, "offset": n}}. */
    public static ObjectNode page(ArrayNode data, int limit, int offset) {
        ObjectNode page = object();
        page.set("data", data);
        page.put("limit", limit);
        page.put("offset", offset);
        return page;
    }

    public static ObjectNode list(ArrayNode data) {
        ObjectNode list = object();
        list.set("data", data);
        return list;
    }
}

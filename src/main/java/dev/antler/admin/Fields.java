package dev.antler.admin;

import dev.antler.billing.Usd;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields of a JSON request body, read with validation. Every rejection names the field:
 * {@code spend_limit: "ten" (expected: an amount of USD from 0 to ...)}. Absent and {@code null} differ where
 * it matters: in a PATCH, an absent field is left alone and {@code null} removes the value.
 */
public final class Fields {

    /** Group names appear in URLs and in comma-separated lists. */
    public static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern LIST_ITEM = Pattern.compile("[^,\\p{Cntrl}]{1,191}");
    private static final String LIST_ITEM_EXPECTED = "1 to 191 characters, no comma";

    private static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000_000L);

    private final ObjectNode body;

    private Fields(ObjectNode body) {
        this.body = body;
    }

    /** Accepts only {@code allowed} field names, so a misspelt field is an error, not a no-op. */
    public static Fields of(ObjectNode body, Set<String> allowed) {
        for (String name : body.propertyNames()) {
            if (!allowed.contains(name)) {
                throw Problems.invalid("field", name, "one of " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return new Fields(body);
    }

    public boolean has(String name) {
        return body.has(name);
    }

    public boolean isEmpty() {
        return body.isEmpty();
    }

    private JsonNode present(String name) {
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? null : node;
    }

    /** A required string: not blank, at most {@code maxLength} characters. */
    public String text(String name, int maxLength) {
        String value = optionalText(name, maxLength);
        if (value == null) {
            throw Problems.invalid(name, shown(body.get(name)), "a non-empty string");
        }
        return value;
    }

    /** A string, or null when absent or null. */
    public String optionalText(String name, int maxLength) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        if (!node.isString() || node.stringValue().isBlank() || node.stringValue().length() > maxLength) {
            throw Problems.invalid(name, shown(node), "a non-empty string of at most " + maxLength + " characters");
        }
        return node.stringValue();
    }

    /** A secret (a password): required, {@code min} to {@code max} characters; its value never appears in a message. */
    public String secret(String name, int min, int max) {
        JsonNode node = present(name);
        String expected = "a string of " + min + " to " + max + " characters";
        if (node == null) {
            throw Problems.invalid(name, "missing", expected);
        }
        if (!node.isString()) {
            throw Problems.invalid(name, "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT), expected);
        }
        int length = node.stringValue().codePointCount(0, node.stringValue().length());
        if (length < min || length > max) {
            throw Problems.invalid(name, "a string of " + length + " characters", expected);
        }
        return node.stringValue();
    }

    /** A string matching {@code pattern}, or null when absent or null. */
    public String optionalName(String name, Pattern pattern, String expected) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        if (!node.isString() || !pattern.matcher(node.stringValue()).matches()) {
            throw Problems.invalid(name, shown(node), expected);
        }
        return node.stringValue();
    }

    /** A decimal number (or a string holding one), or null when absent or null. */
    public BigDecimal optionalDecimal(String name, String expected) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isString()) {
            try {
                return new BigDecimal(node.stringValue().trim());
            } catch (NumberFormatException e) {
                // rejected below
            }
        }
        throw Problems.invalid(name, shown(node), expected);
    }

    /** An amount of USD in nanos, or null when absent or null. */
    public Long optionalUsd(String name, boolean negativeAllowed) {
        String expected = "an amount of USD from " + (negativeAllowed ? "-" + MAX_USD : "0") + " to " + MAX_USD
                + ", at most 9 decimal places";
        BigDecimal usd = optionalDecimal(name, expected);
        if (usd == null) {
            return null;
        }
        // Range and scale are checked first: converting 1e999999999 or 1e-999999999 would take minutes.
        if ((!negativeAllowed && usd.signum() < 0) || usd.abs().compareTo(MAX_USD) > 0
                || usd.stripTrailingZeros().scale() > 9) {
            throw Problems.invalid(name, usd.toString(), expected);
        }
        try {
            return Usd.fromDecimal(usd);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, usd.toString(), expected);
        }
    }

    /** An integer, or null when absent or null. */
    public Integer optionalInt(String name, int min, int max) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw Problems.invalid(name, shown(node), "an integer from " + min + " to " + max);
        }
        return node.intValue();
    }

    public Boolean optionalBoolean(String name) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            throw Problems.invalid(name, shown(node), "true or false");
        }
        return node.booleanValue();
    }

    /** An ISO-8601 instant as epoch milliseconds, or null when absent or null. */
    public Long optionalTime(String name) {
        JsonNode node = present(name);
        if (node == null) {
            return null;
        }
        try {
            if (node.isString()) {
                return Instant.parse(node.stringValue()).toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            // rejected below
        }
        throw Problems.invalid(name, shown(node), "an ISO-8601 time such as 2030-01-31T00:00:00Z");
    }

    /** A list of names (models, groups); empty when absent or null. */
    public Set<String> names(String name, Pattern itemPattern, String itemExpected) {
        JsonNode node = present(name);
        if (node == null) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isString() || !itemPattern.matcher(item.stringValue()).matches()) {
                    throw Problems.invalid(name, shown(node), "an array of names, each " + itemExpected);
                }
                names.add(item.stringValue());
            }
            return names;
        }
        throw Problems.invalid(name, shown(node), "an array of names, each " + itemExpected);
    }

    /** A list of model names; empty when absent or null. */
    public Set<String> models(String name) {
        return names(name, LIST_ITEM, LIST_ITEM_EXPECTED);
    }

    /** An object of model name to model name; empty when absent or null. */
    public Map<String, String> mapping(String name) {
        JsonNode node = present(name);
        if (node == null) {
            return Map.of();
        }
        String expected = "an object of model name to upstream model name, each " + LIST_ITEM_EXPECTED;
        if (!node.isObject()) {
            throw Problems.invalid(name, shown(node), expected);
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode to = e.getValue();
            if (!LIST_ITEM.matcher(e.getKey()).matches() || !to.isString()
                    || !LIST_ITEM.matcher(to.stringValue()).matches()) {
                throw Problems.invalid(name, shown(node), expected);
            }
            mapping.put(e.getKey(), to.stringValue());
        }
        return mapping;
    }

    /** The field's value as it was sent, for messages. */
    public String shown(String name) {
        return shown(body.get(name));
    }

    /** The value as it was sent, for messages. */
    public static String shown(JsonNode node) {
        return node == null ? "missing" : node.toString();
    }
}

package dev.antler.json;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Observes a JSON response body, pushed in arbitrary chunks while it is relayed unchanged, and picks
 * out what billing needs: the {@code usage} object (top level, or inside a top-level
 * {@code response} object as in Responses API stream events, or inside a top-level {@code message}
 * object as in Anthropic's {@code message_start} event), the length of a top-level {@code data}
 * array, and requested top-level scalars.
 *
 * <p>The body is scanned, not parsed ({@link JsonScanner}): only the bytes of the values it wants are
 * kept and parsed, so an embedding's thousands of floats cost a byte loop, not a token each. A usage
 * object longer than {@link #MAX_USAGE_BYTES} is ignored. Malformed input never throws: it only makes
 * {@link #isValidJson()} false, and what was found before still counts. Property names are matched as
 * raw bytes (a name written with escapes is not recognised).
 *
 * <p>Not thread-safe.
 */
public final class JsonUsageTap {

    static final int MAX_USAGE_BYTES = 16 * 1024;
    private static final int MAX_SCALAR_BYTES = 4 * 1024;
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] DATA = ascii("data");
    /** Top-level objects whose own {@code usage} counts too (Responses API events, Anthropic's message_start). */
    private static final byte[][] USAGE_PARENTS = {ascii("response"), ascii("message")};

    private final Map<String, byte[]> scalarNames = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, Double> numbers = new HashMap<>();
    private final JsonScanner scanner;

    // What the current property name of the root object is, decided once per name.
    private boolean rootNameIsUsage;
    private boolean rootNameIsData;
    private boolean rootNameIsParent;
    private boolean inParent;      // scanning the members of a top-level response/message object
    private boolean childNameIsUsage;
    private String capturingScalar;
    private boolean inData;
    private ObjectNode usage;
    private int dataArrayLength = -1;
    private boolean valid;
    private boolean finished;

    public JsonUsageTap() {
        this(Set.of());
    }

    /** @param scalarFields top-level string or number fields to capture, such as "id" or "model" */
    public JsonUsageTap(Set<String> scalarFields) {
        for (String field : requireNonNull(scalarFields, "scalarFields")) {
            scalarNames.put(field, field.getBytes(UTF_8));
        }
        this.scanner = new JsonScanner(new Hooks(), Math.max(MAX_USAGE_BYTES, MAX_SCALAR_BYTES));
    }

    /** Observes the next {@code length} bytes; {@code data} may be reused once this returns. */
    public void feed(byte[] data, int offset, int length) {
        requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        if (finished) {
            throw new IllegalStateException("json usage tap: finished (expected: open)");
        }
        scanner.feed(data, offset, length);
    }

    /** Marks the end of the body. Calling it again has no effect. */
    public void finish() {
        if (!finished) {
            finished = true;
            valid = !scanner.failed() && scanner.finish();
        }
    }

    /** Whether the body, once finished, was exactly one complete JSON value. False before {@link #finish()}. */
    public boolean isValidJson() {
        return finished && valid;
    }

    /** The first {@code usage} object found at the top level or inside a top-level {@code response} or {@code message}. */
    public Optional<ObjectNode> usage() {
        return Optional.ofNullable(usage);
    }

    /** The number of elements of the top-level {@code data} array, or -1 if there is none. */
    public int dataArrayLength() {
        return dataArrayLength;
    }

    /** The first string value of a requested top-level field. */
    public Optional<String> topLevelString(String field) {
        return Optional.ofNullable(strings.get(requireNonNull(field, "field")));
    }

    /** The first number value of a requested top-level field. */
    public Optional<Double> topLevelNumber(String field) {
        return Optional.ofNullable(numbers.get(requireNonNull(field, "field")));
    }

    private static byte[] ascii(String name) {
        return name.getBytes(US_ASCII);
    }

    private static boolean same(byte[] expected, byte[] name, int length) {
        return expected.length == length && Arrays.equals(expected, 0, length, name, 0, length);
    }

    /** The scanner's listener: decides which values to capture and reads them when complete. */
    private final class Hooks implements JsonScanner.Listener {

        private boolean rootIsObject;
        private String pendingScalar;

        @Override
        public void onName(int depth, byte[] name, int length) {
            if (depth == 1 && rootIsObject) {
                rootNameIsUsage = same(USAGE, name, length);
                rootNameIsData = same(DATA, name, length);
                rootNameIsParent = false;
                for (byte[] parent : USAGE_PARENTS) {
                    rootNameIsParent |= same(parent, name, length);
                }
                pendingScalar = null;
                for (Map.Entry<String, byte[]> field : scalarNames.entrySet()) {
                    if (same(field.getValue(), name, length)) {
                        pendingScalar = field.getKey();
                    }
                }
            } else if (depth == 2 && inParent) {
                childNameIsUsage = same(USAGE, name, length);
            }
        }

        @Override
        public boolean onValueStart(int depth, byte first) {
            if (depth == 0) {
                rootIsObject = first == '{';
                return false;
            }
            if (depth == 1 && rootIsObject) {
                if (first == '{' && rootNameIsUsage && usage == null) {
                    return true;
                }
                if (first == '{' && rootNameIsParent) {
                    inParent = true;
                    childNameIsUsage = false;
                } else if (first == '[' && dataArrayLength < 0 && rootNameIsData) {
                    inData = true;
                    dataArrayLength = 0;
                } else if (pendingScalar != null && first != '{' && first != '[') {
                    capturingScalar = pendingScalar;
                    return true;
                }
                return false;
            }
            if (depth == 2) {
                if (inData) {
                    dataArrayLength++;
                }
                return inParent && first == '{' && childNameIsUsage && usage == null;
            }
            return false;
        }

        @Override
        public void onContainerEnd(int depth) {
            if (depth == 1) {
                inData = false;
                inParent = false;
            }
        }

        @Override
        public void onCaptured(byte[] value, int length) {
            String scalar = capturingScalar;
            capturingScalar = null;
            if (value == null) {
                return;
            }
            try {
                if (scalar == null) {
                    if (length <= MAX_USAGE_BYTES && Json.MAPPER.readTree(value, 0, length) instanceof ObjectNode object) {
                        usage = object;
                    }
                } else if (length <= MAX_SCALAR_BYTES) {
                    JsonNode node = Json.MAPPER.readTree(value, 0, length);
                    if (node.isString()) {
                        strings.putIfAbsent(scalar, node.stringValue());
                    } else if (node.isNumber()) {
                        numbers.putIfAbsent(scalar, node.doubleValue());
                    }
                }
            } catch (RuntimeException e) {
                // the scanner validated the bytes; a value Jackson still refuses is simply not used
            }
        }
    }
}

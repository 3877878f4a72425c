package dev.antler.json;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.antler.tokens.TokenEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Observes a JSON response body, pushed in arbitrary chunks while it is relayed unchanged, and picks
 * out what billing needs: the {@code usage} object (top level, or inside a top-level
 * {@code response} object as in Responses API stream events, or inside a top-level {@code message}
 * object as in Anthropic's {@code message_start} event), the length of a top-level {@code data}
 * array, requested top-level scalars, and the elements of requested top-level answer arrays (an
 * answer's {@code choices}, {@code output} or {@code content}) for an estimate when no usage comes.
 *
 * <p>The body is scanned, not parsed ({@link JsonScanner}): only the bytes of the values it wants are
 * kept and parsed, so an embedding's thousands of floats cost a byte loop, not a token each. A usage
 * object longer than {@link #MAX_USAGE_BYTES} is ignored; answer elements are kept up to
 * {@link #MAX_ANSWER_BYTES} in all (past it only their size is), and none once a usage object was
 * found. Malformed input never throws: it only makes
 * {@link #isValidJson()} false, and what was found before still counts. Property names are matched as
 * raw bytes (a name written with escapes is not recognised).
 *
 * <p>Not thread-safe.
 */
public final class JsonUsageTap {

    static final int MAX_USAGE_BYTES = 16 * 1024;
    /** As much as one SSE event may hold: the text a stream's estimate keeps is bounded alike. */
    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;
    private static final int MAX_SCALAR_BYTES = 4 * 1024;
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] DATA = ascii("data");
    /** Top-level objects whose own {@code usage} counts too (Responses API events, Anthropic's message_start). */
    private static final byte[][] USAGE_PARENTS = {ascii("response"), ascii("message")};

    private final Map<String, byte[]> scalarNames = new HashMap<>();
    private final List<byte[]> answerNames = new ArrayList<>();
    private final List<byte[]> answerItems = new ArrayList<>();
    private long answerBytesKept;
    private long answerBytesNotKept;
    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, Double> numbers = new HashMap<>();
    private final JsonScanner scanner;

    // What the current property name of the root object is, decided once per name.
    private boolean rootNameIsUsage;
    private boolean rootNameIsData;
    private boolean rootNameIsParent;
    private boolean rootNameIsAnswer;
    private boolean inAnswer;      // scanning the elements of a top-level answer array
    private boolean capturingItem;
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
        this(scalarFields, Set.of());
    }

    /**
     * @param scalarFields top-level string or number fields to capture, such as "id" or "model"
     * @param answerArrays top-level arrays whose elements hold the answer, such as "choices"
     */
    public JsonUsageTap(Set<String> scalarFields, Set<String> answerArrays) {
        for (String field : requireNonNull(scalarFields, "scalarFields")) {
            scalarNames.put(field, field.getBytes(UTF_8));
        }
        for (String array : requireNonNull(answerArrays, "answerArrays")) {
            answerNames.add(array.getBytes(UTF_8));
        }
        this.scanner = new JsonScanner(new Hooks());
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

    /**
     * Tokens of the answer's text, as {@code textOf} reads it from each element of the answer arrays:
     * counted with {@link TokenEstimator}, plus one token per 4 bytes of the elements not kept.
     */
    public long answerTokens(BiConsumer<JsonNode, StringBuilder> textOf) {
        requireNonNull(textOf, "textOf");
        StringBuilder text = new StringBuilder();
        for (byte[] item : answerItems) {
            try {
                textOf.accept(Json.MAPPER.readTree(item), text);
            } catch (RuntimeException e) {
                // the scanner validated the bytes; an element Jackson still refuses adds no text
            }
        }
        return TokenEstimator.count(text) + (answerBytesNotKept + 3) / 4;
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
                rootNameIsAnswer = false;
                for (byte[] answer : answerNames) {
                    rootNameIsAnswer |= same(answer, name, length);
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
        public int onValueStart(int depth, byte first) {
            if (depth == 0) {
                rootIsObject = first == '{';
                return 0;
            }
            if (depth == 1 && rootIsObject) {
                if (first == '{' && rootNameIsUsage && usage == null) {
                    return MAX_USAGE_BYTES;
                }
                if (first == '{' && rootNameIsParent) {
                    inParent = true;
                    childNameIsUsage = false;
                } else if (first == '[' && dataArrayLength < 0 && rootNameIsData) {
                    inData = true;
                    dataArrayLength = 0;
                } else if (first == '[' && rootNameIsAnswer) {
                    inAnswer = true;
                } else if (pendingScalar != null && first != '{' && first != '[') {
                    capturingScalar = pendingScalar;
                    return MAX_SCALAR_BYTES;
                }
                return 0;
            }
            if (depth == 2) {
                if (inData) {
                    dataArrayLength++;
                }
                if (inParent && first == '{' && childNameIsUsage && usage == null) {
                    return MAX_USAGE_BYTES;
                }
                if (inAnswer && usage == null) {
                    capturingItem = true;
                    return (int) Math.max(1, MAX_ANSWER_BYTES - answerBytesKept); // past the budget: sized only
                }
            }
            return 0;
        }

        @Override
        public void onContainerEnd(int depth) {
            if (depth == 1) {
                inData = false;
                inParent = false;
                inAnswer = false;
            }
        }

        @Override
        public void onCaptured(byte[] value, int length) {
            String scalar = capturingScalar;
            capturingScalar = null;
            if (capturingItem) {
                capturingItem = false;
                if (value == null) {
                    answerBytesNotKept += length;
                } else {
                    answerItems.add(Arrays.copyOf(value, length));
                    answerBytesKept += length;
                }
                return;
            }
            if (value == null) {
                return;
            }
            try {
                if (scalar == null) {
                    if (Json.MAPPER.readTree(value, 0, length) instanceof ObjectNode object) {
                        usage = object;
                    }
                } else {
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

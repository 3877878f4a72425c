package dev.antler.json;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Observes a JSON response body, pushed in arbitrary chunks while it is relayed unchanged, and picks
 * out what billing needs: the {@code usage} object (top level, or inside a top-level
 * {@code response} object as in Responses API stream events), the length of a top-level
 * {@code data} array, and requested top-level scalars.
 *
 * <p>Everything else is skipped token by token; no tree of the body is built. Parse failures never
 * propagate: they only make {@link #isValidJson()} false, and what was found before still counts.
 * Note that the non-blocking parser buffers each string value whole, so a multi-MB base64 string
 * costs about twice its length in memory while it is being skipped.
 *
 * <p>Not thread-safe.
 */
public final class JsonUsageTap {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String USAGE = "usage";
    private static final String RESPONSE = "response";
    private static final String DATA = "data";

    private final Set<String> scalarFields;
    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, Double> numbers = new HashMap<>();
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;

    private int depth;
    private String rootProperty;
    private String responseProperty;
    private boolean inResponse;
    private boolean inData;
    private UsageCapture capture;
    private ObjectNode usage;
    private int dataArrayLength = -1;
    private boolean rootDone;
    private boolean failed;
    private boolean finished;

    public JsonUsageTap() {
        this(Set.of());
    }

    /** @param scalarFields top-level string or number fields to capture, such as "id" or "model" */
    public JsonUsageTap(Set<String> scalarFields) {
        this.scalarFields = Set.copyOf(requireNonNull(scalarFields, "scalarFields"));
        this.parser = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        this.feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
    }

    /** Observes the next {@code length} bytes; {@code data} may be reused once this returns. */
    public void feed(byte[] data, int offset, int length) {
        requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        if (finished) {
            throw new IllegalStateException("json usage tap: finished (expected: open)");
        }
        if (failed || length == 0) {
            return;
        }
        try {
            feeder.feedInput(data, offset, offset + length);
            drain();
        } catch (RuntimeException e) {
            // whatever the body holds, the relay must go on: a failure only marks the body invalid
            fail();
        }
    }

    /** Marks the end of the body. Calling it again has no effect. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (failed) {
            return;
        }
        try {
            feeder.endOfInput();
            drain();
        } catch (RuntimeException e) {
            failed = true;
        } finally {
            parser.close();
        }
    }

    /** Whether the body, once finished, was exactly one complete JSON value. False before {@link #finish()}. */
    public boolean isValidJson() {
        return finished && !failed && rootDone;
    }

    /** The first {@code usage} object found at the top level or inside a top-level {@code response} object. */
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

    private void drain() {
        JsonToken token;
        while (!failed && (token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            onToken(token);
        }
    }

    private void onToken(JsonToken token) {
        if (capture != null) {
            if (capture.accept(token, parser)) {
                if (usage == null) {
                    usage = capture.result();
                }
                capture = null;
            }
            return;
        }
        if (rootDone) {
            fail(); // a second root value
            return;
        }
        switch (token) {
            case START_OBJECT, START_ARRAY -> {
                if (!onValue(token)) {
                    depth++;
                }
            }
            case END_OBJECT, END_ARRAY -> onEnd();
            case PROPERTY_NAME -> onName();
            default -> {
                onValue(token);
                rootDone = depth == 0;
            }
        }
    }

    /** Returns true if the token starts a usage capture, which then consumes the whole object. */
    private boolean onValue(JsonToken token) {
        if (depth == 1) {
            if (token == JsonToken.START_OBJECT && USAGE.equals(rootProperty) && usage == null) {
                capture = new UsageCapture();
                return true;
            }
            inResponse = token == JsonToken.START_OBJECT && RESPONSE.equals(rootProperty);
            if (token == JsonToken.START_ARRAY && DATA.equals(rootProperty) && dataArrayLength < 0) {
                inData = true;
                dataArrayLength = 0;
            }
            if (token.isScalarValue() && rootProperty != null && scalarFields.contains(rootProperty)) {
                if (token == JsonToken.VALUE_STRING) {
                    strings.putIfAbsent(rootProperty, parser.getString());
                } else if (token.isNumeric()) {
                    numbers.putIfAbsent(rootProperty, parser.getDoubleValue());
                }
            }
        } else if (depth == 2) {
            if (inData) {
                dataArrayLength++;
            }
            if (inResponse && token == JsonToken.START_OBJECT && USAGE.equals(responseProperty) && usage == null) {
                capture = new UsageCapture();
                return true;
            }
        }
        return false;
    }

    private void onEnd() {
        depth--;
        if (depth == 1) {
            inResponse = false;
            inData = false;
            responseProperty = null;
        }
        rootDone = depth == 0;
    }

    private void onName() {
        if (depth == 1) {
            rootProperty = parser.currentName();
        } else if (depth == 2 && inResponse) {
            responseProperty = parser.currentName();
        }
    }

    private void fail() {
        failed = true;
        parser.close();
    }
}

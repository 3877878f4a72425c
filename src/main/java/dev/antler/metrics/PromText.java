package dev.antler.metrics;

import java.math.BigDecimal;

/** The Prometheus text exposition format (version 0.0.4), written line by line. */
final class PromText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(16 * 1024);

    /** The {@code # HELP} and {@code # TYPE} lines of a metric family. */
    PromText family(String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PromText sample(String name, String labels, String value) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append('{').append(labels).append('}');
        }
        text.append(' ').append(value).append('\n');
        return this;
    }

    PromText sample(String name, String labels, long value) {
        return sample(name, labels, Long.toString(value));
    }

    PromText sample(String name, String labels, double value) {
        return sample(name, labels, number(value));
    }

    void bucket(String name, String labels, String le, long count) {
        sample(name + "_bucket", (labels.isEmpty() ? "" : labels + ",") + "le=\"" + le + "\"", count);
    }

    /** {@code name="value",...} from pairs, values escaped as the format requires. */
    static String labels(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(pairs[i]).append("=\"");
            String value = pairs[i + 1] == null ? "" : pairs[i + 1];
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                switch (ch) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '\n' -> out.append("\\n");
                    default -> out.append(ch);
                }
            }
            out.append('"');
        }
        return out.toString();
    }

    static String seconds(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

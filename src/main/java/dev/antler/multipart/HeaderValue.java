package dev.antler.multipart;

import static dev.antler.multipart.MultipartException.quoted;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header value of the form {@code type; name=token; name="quoted \"string\""}: lower-cased type and
 * parameter names, unquoted parameter values. Duplicate parameters are refused rather than guessed at, so
 * the gateway and the upstream cannot read different values from one header.
 */
record HeaderValue(String type, Map<String, String> params) {

    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

    /**
     * @param header the header name, for error messages
     */
    static HeaderValue parse(String header, String value) {
        return new Parser(header, value).parse();
    }

    private static final class Parser {
        private final String header;
        private final String text;
        private int pos;

        Parser(String header, String text) {
            this.header = header;
            this.text = text;
        }

        HeaderValue parse() {
            int semicolon = text.indexOf(';');
            String type = (semicolon < 0 ? text : text.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                throw fail("a value before any parameter");
            }
            Map<String, String> params = new LinkedHashMap<>();
            pos = semicolon < 0 ? text.length() : semicolon;
            while (pos < text.length()) {
                pos++; // past ';'
                skipWhitespace();
                if (pos == text.length() || text.charAt(pos) == ';') {
                    continue; // empty parameter, as in "a;;b=c" or a trailing ';'
                }
                String name = parameterName();
                String value = parameterValue();
                if (params.putIfAbsent(name, value) != null) {
                    throw fail("parameter " + name + " only once");
                }
            }
            return new HeaderValue(type, Map.copyOf(params));
        }

        private String parameterName() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != '=' && text.charAt(pos) != ';') {
                pos++;
            }
            String name = text.substring(start, pos).trim();
            if (pos == text.length() || text.charAt(pos) != '=' || !isToken(name)) {
                throw fail("parameters as name=value");
            }
            pos++; // past '='
            return name.toLowerCase(Locale.ROOT);
        }

        private String parameterValue() {
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == '"') {
                String value = quotedString();
                skipWhitespace();
                if (pos < text.length() && text.charAt(pos) != ';') {
                    throw fail("';' after a quoted parameter value");
                }
                return value;
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ';') {
                pos++;
            }
            String value = text.substring(start, pos).trim();
            if (!isBareValue(value)) {
                throw fail("a token or quoted string as parameter value");
            }
            return value;
        }

        /** Backslash escapes only a separator, so unescaped Windows paths such as {@code C:\a.png} survive. */
        private String quotedString() {
            StringBuilder value = new StringBuilder();
            pos++; // past opening quote
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < text.length() && SEPARATORS.indexOf(text.charAt(pos)) >= 0) {
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            throw fail("a closing quote");
        }

        private void skipWhitespace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private MultipartException fail(String expected) {
            return new MultipartException("multipart " + header + " header", quoted(text), expected);
        }
    }

    /** Laxer than a token: clients send unquoted boundaries such as {@code ----=_Part_1} in the wild. */
    private static boolean isBareValue(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '"') {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || SEPARATORS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}

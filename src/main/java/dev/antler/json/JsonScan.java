package dev.antler.json;

/**
 * Cheap scans over the text of one small JSON document (an SSE event's data) for the hot path, where
 * building a tree of every event would cost more than relaying it. They rely on one property of JSON:
 * a string never holds an unescaped quote, so {@code "name"} followed by a colon is always a property
 * name, never text. They look at property names at any depth and do not validate the document.
 */
public final class JsonScan {

    private JsonScan() {}

    /** Whether some property {@code name} (at any depth) has an object as its value. */
    public static boolean hasObjectProperty(String json, String name) {
        return indexOfValue(json, name, '{', 0) >= 0;
    }

    /**
     * Appends to {@code out} the unescaped value of every property {@code name} (at any depth) whose
     * value is a string; other values are skipped.
     */
    public static void appendStringValues(String json, String name, StringBuilder out) {
        int from = 0;
        int start;
        while ((start = indexOfValue(json, name, '"', from)) >= 0) {
            from = appendString(json, start + 1, out);
        }
    }

    /**
     * The index of the first character of the value of a property {@code name} whose value starts
     * with {@code first}, searching from {@code from}; or -1.
     */
    private static int indexOfValue(String json, String name, char first, int from) {
        int length = json.length();
        int at = from;
        while ((at = json.indexOf(name, at)) >= 0) {
            int end = at + name.length();
            if (at > 0 && json.charAt(at - 1) == '"' && end < length && json.charAt(end) == '"') {
                int i = skipSpace(json, end + 1);
                if (i < length && json.charAt(i) == ':') {
                    i = skipSpace(json, i + 1);
                    if (i < length && json.charAt(i) == first) {
                        return i;
                    }
                }
            }
            at = end;
        }
        return -1;
    }

    private static int skipSpace(String json, int at) {
        int i = at;
        while (i < json.length() && isSpace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Appends the string whose text starts at {@code start}; returns the index after its closing quote. */
    private static int appendString(String json, int start, StringBuilder out) {
        int i = start;
        int length = json.length();
        while (i < length) {
            int plain = i; // a run without quote or backslash is appended at once
            while (i < length && json.charAt(i) != '"' && json.charAt(i) != '\\') {
                i++;
            }
            out.append(json, plain, i);
            if (i == length) {
                return length;
            }
            if (json.charAt(i) == '"') {
                return i + 1;
            }
            if (i + 1 >= length) {
                return length;
            }
            char escaped = json.charAt(i + 1);
            i += 2;
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 > length) {
                        return length;
                    }
                    int code = parseHex(json, i);
                    if (code >= 0) {
                        out.append((char) code);
                    }
                    i += 4;
                }
                default -> out.append(escaped); // \" \\ \/
            }
        }
        return length;
    }

    private static int parseHex(String json, int at) {
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(json.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}

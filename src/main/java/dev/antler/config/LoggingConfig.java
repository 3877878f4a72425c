package dev.antler.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's log: its format, its level, and levels per package.
 *
 * @param format {@code text} (default) or {@code json}: one JSON object per line, with the request id of the
 *               request that caused the line
 * @param level  the root level (default: {@code ANTLER_LOG_LEVEL}, else INFO)
 * @param levels levels per logger or package, e.g. {@code dev.antler.relay: DEBUG}
 * @param accessLog {@code false} (default): no access log; {@code true}: one line per request on the standard
 *               output beside the log; else the path of a file the lines are appended to
 */
public record LoggingConfig(String format, String level, Map<String, String> levels, String accessLog) {

    private static final Set<String> FORMATS = Set.of("text", "json");
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    public LoggingConfig {
        format = format == null ? "text" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("logging.format: " + format + " (expected: text or json)");
        }
        level = level == null ? null : checked("logging.level", level);
        Map<String, String> checkedLevels = new LinkedHashMap<>();
        if (levels != null) {
            levels.forEach((name, value) -> checkedLevels.put(name, checked("logging.levels." + name, value)));
        }
        levels = Map.copyOf(checkedLevels);
        accessLog = accessLog == null || accessLog.isBlank() || accessLog.equalsIgnoreCase("false") ? null
                : accessLog.equalsIgnoreCase("true") ? "true" : accessLog;
    }

    /** Fields without an access log. */
    public LoggingConfig(String format, String level, Map<String, String> levels) {
        this(format, level, levels, null);
    }

    /** Whether an access log is written. */
    public boolean accessLogOn() {
        return accessLog != null;
    }

    /** The access log's file; null when it goes to the standard output (or is off). */
    public String accessLogFile() {
        return accessLog == null || accessLog.equals("true") ? null : accessLog;
    }

    public boolean json() {
        return format.equals("json");
    }

    private static String checked(String field, String value) {
        String upper = String.valueOf(value).toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: one of TRACE, DEBUG, INFO, WARN, "
                    + "ERROR, OFF)");
        }
        return upper;
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(null, null, null);
    }
}

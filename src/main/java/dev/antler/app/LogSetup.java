package dev.antler.app;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.antler.config.LoggingConfig;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's logging, set up in code (logback finds it as a service): the console, through an appender
 * that never blocks the caller, {@code ANTLER_LOG_LEVEL} (default INFO) at the root and libraries at WARN.
 * Reading the same set-up from logback.xml cost a fifth of the start-up (issue 7). Logs never carry keys:
 * the relay logs channel names and request ids only.
 *
 * <p>A {@code -Dlogback.configurationFile}, or a logback-test.xml on the class path, still wins: logback
 * then reads that file as usual. src/main/resources/logback.xml holds this same set-up for that use.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The text format; a line a request caused carries its id in brackets. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{36}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";

    private static final String[] QUIET_LIBRARIES = {"io.netty", "io.vertx", "com.zaxxer.hikari", "org.flywaydb",
            "org.jdbi"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setNeverBlock(true);
        async.addAppender(console);
        async.start();

        for (String library : QUIET_LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting("ANTLER_LOG_LEVEL", "INFO")));
        root.addAppender(async);
        addRequestIds(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Applies the config's {@code logging} section (and {@code ANTLER_LOG_LEVELS}, e.g.
     * {@code dev.antler.relay=DEBUG,io.vertx=INFO}) to the running logback, whichever way it was set up: the
     * levels, the request id on each line, and with {@code format: json} a JSON encoder on every console or file
     * appender of the root.
     */
    public static void apply(LoggingConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        addRequestIds(context);
        if (config.level() != null) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(config.level()));
        }
        Map<String, String> levels = new LinkedHashMap<>(config.levels());
        levels.putAll(parseLevels(setting("ANTLER_LOG_LEVELS", "")));
        levels.forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
        if (config.json()) {
            useJson(context, context.getLogger(Logger.ROOT_LOGGER_NAME));
        }
        if (config.accessLogOn()) {
            accessLog(context, config.accessLogFile());
        }
    }

    /**
     * Points the access log's logger at its own appender (the standard output, or {@code file} appended to), each
     * line as the access log wrote it (text, or a JSON object), behind a queue so an event loop never waits on it.
     */
    private static void accessLog(LoggerContext context, String file) {
        ch.qos.logback.classic.Logger logger = context.getLogger(dev.antler.http.AccessLog.LOGGER);
        if (logger.iteratorForAppenders().hasNext()) {
            return; // applied before
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> out;
        if (file == null) {
            out = new ConsoleAppender<>();
        } else {
            ch.qos.logback.core.FileAppender<ILoggingEvent> toFile = new ch.qos.logback.core.FileAppender<>();
            toFile.setFile(file);
            toFile.setAppend(true);
            out = toFile;
        }
        out.setContext(context);
        out.setName("ACCESS");
        out.setEncoder(encoder);
        out.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ACCESS_ASYNC");
        async.setNeverBlock(true);
        async.setDiscardingThreshold(0); // INFO lines are the whole log here: never dropped while the queue has room
        async.addAppender(out);
        async.start();
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(async);
    }

    /** {@code name=LEVEL,name=LEVEL}; a malformed entry is an error naming it. */
    static Map<String, String> parseLevels(String text) {
        Map<String, String> levels = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("ANTLER_LOG_LEVELS: " + entry + " (expected: logger=LEVEL, "
                        + "comma-separated)");
            }
            levels.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return new LoggingConfig(null, null, levels).levels();
    }

    private static void addRequestIds(LoggerContext context) {
        if (context.getTurboFilterList().stream().noneMatch(RequestIdFilter.class::isInstance)) {
            RequestIdFilter filter = new RequestIdFilter();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    private static void useJson(LoggerContext context, AppenderAttachable<ILoggingEvent> attachable) {
        for (Iterator<Appender<ILoggingEvent>> it = attachable.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof OutputStreamAppender<ILoggingEvent> output) {
                JsonLogEncoder encoder = new JsonLogEncoder();
                encoder.setContext(context);
                encoder.start();
                output.setEncoder(encoder);
            } else if (appender instanceof AppenderAttachable<?> nested) {
                @SuppressWarnings("unchecked")
                AppenderAttachable<ILoggingEvent> children = (AppenderAttachable<ILoggingEvent>) nested;
                useJson(context, children);
            }
        }
    }

    /** As logback.xml's {@code ${NAME:-default}}: a system property, else the environment variable. */
    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name);
        }
        return value == null ? fallback : value;
    }
}

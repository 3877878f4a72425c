package dev.antler.app;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

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
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
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
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
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

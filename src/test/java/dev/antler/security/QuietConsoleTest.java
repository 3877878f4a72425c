package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A passing suite keeps the console to the test runner's own lines: the errors and warnings tests provoke on
 * purpose go to the suite's log file only (which {@link LogLeakScanTest} searches), unless
 * {@code ANTLER_LOG_LEVEL} asks for them on the console too.
 */
class QuietConsoleTest {

    private static final Path SUITE_LOG = Path.of("target/test-logs/suite.log");

    @Test
    void aProvokedErrorGoesToTheSuiteLogNotTheConsole() throws IOException {
        assumeTrue(System.getenv("ANTLER_LOG_LEVEL") == null && System.getProperty("ANTLER_LOG_LEVEL") == null,
                "ANTLER_LOG_LEVEL asks for the gateway's log on the console");
        String marker = "provoked failure " + System.nanoTime();
        Logger log = LoggerFactory.getLogger("dev.antler.relay.RelayCall");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            log.error("{}: upstream refused", marker);
            log.warn("{}: retrying", marker);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(marker);
        assertThat(Files.readString(SUITE_LOG)).contains(marker + ": upstream refused", marker + ": retrying");
    }
}

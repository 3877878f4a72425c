package dev.antler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void withoutArgumentsOrWithHelpPrintsTheUsage() {
        assertThat(run()).isZero();
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: antler [-hV] [COMMAND]\n")
                .contains("  serve  Run the gateway until stopped");
    }

    @Test
    void printsTheVersion() {
        assertThat(run("-V")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Antler 0.1.0" + System.lineSeparator());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(run("serve", "--bogus")).isEqualTo(2);
        assertThat(run("serve", "-c")).isEqualTo(2);
        assertThat(run("serve", "-c", "a.yaml", "--config", "b.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unmatched argument at index 0: 'bogus'", "Unknown option: '--bogus'",
                        "Missing required parameter for option '--config' (<config>)",
                        "Usage: antler serve [-c=<config>]")
                .doesNotContain("Exception");
        assertThat(out.size()).isZero();
    }

    @Test
    void anUnreadableConfigFileIsAnError() {
        assertThat(run("serve", "--config=/nonexistent/antler.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("antler: config file: /nonexistent/antler.yaml");
    }
}

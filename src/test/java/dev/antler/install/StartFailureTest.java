package dev.antler.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that cannot go on (the port taken, a bad config, the database unreachable) prints one line naming
 * the problem and the fix, exits with that problem's own code and shows no stack trace; {@code config check}
 * says whether a file is valid without starting. Each runs {@code dev.antler.Main} as its own JVM.
 */
class StartFailureTest {

    @TempDir
    Path directory;

    @Test
    void aPortInUseIsOneLineAndExitCode4() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = config("server: { port: %d, host: 127.0.0.1 }\ndatabase: { url: \"jdbc:sqlite:%s\" }\n"
                    .formatted(taken.getLocalPort(), directory.resolve("antler.db")));
            Ended ended = antler("serve", "--config", config.toString());
            assertThat(ended.code()).isEqualTo(4);
            assertThat(ended.oneLine()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("server.port").contains("ANTLER_SERVER_PORT");
        }
    }

    @Test
    void aBadConfigIsOneLineAndExitCode3() throws Exception {
        Path config = config("server: { prot: 3000 }\n");
        Ended ended = antler("serve", "--config", config.toString());
        assertThat(ended.code()).isEqualTo(3);
        assertThat(ended.oneLine()).contains("server.prot: unknown key").contains("config check");
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCode5() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();  // closed again below: nothing listens there
        }
        Path config = config("server: { port: 0 }\ndatabase: { url: \"jdbc:postgresql://127.0.0.1:%d/antler?password=s3cret\", "
                .formatted(closed) + "username: antler }\n");
        Ended ended = antler("serve", "--config", config.toString());
        assertThat(ended.code()).isEqualTo(5);
        assertThat(ended.oneLine()).contains("database jdbc:postgresql://127.0.0.1:" + closed + "/antler is unreachable")
                .contains("database.url").doesNotContain("s3cret");
    }

    @Test
    void aFailedMigrationIsOneLineAndExitCode6() throws Exception {
        // a store at schema version 11 whose next migration cannot apply: a table of its name is already there
        Path store = directory.resolve("antler.db");
        org.flywaydb.core.Flyway.configure().dataSource("jdbc:sqlite:" + store, null, null)
                .locations("classpath:db/migration/sqlite").target("11").load().migrate();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store)) {
            connection.createStatement().execute("CREATE TABLE responses (note TEXT)");
        }
        Path config = config("server: { port: 0 }\ndatabase: { url: \"jdbc:sqlite:%s\" }\n".formatted(store));

        Ended ended = antler("serve", "--config", config.toString());

        assertThat(ended.code()).isEqualTo(6);
        assertThat(ended.oneLine()).contains("database jdbc:sqlite:" + store + ": migration ").contains("12")
                .contains("failed: ").contains("responses already exists").contains("fix: ");
    }

    @Test
    void aStoreOfANewerBuildIsOneLineAndExitCode6() throws Exception {
        Path store = directory.resolve("antler.db");
        org.flywaydb.core.Flyway.configure().dataSource("jdbc:sqlite:" + store, null, null)
                .locations("classpath:db/migration/sqlite").load().migrate();
        int newer = dev.antler.store.Database.expectedSchemaVersion() + 1;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store)) {
            connection.createStatement().execute("INSERT INTO flyway_schema_history (installed_rank, version, "
                    + "description, type, script, checksum, installed_by, execution_time, success) VALUES (" + newer
                    + ", '" + newer + "', 'newer', 'SQL', 'V" + newer + "__newer.sql', 0, 'test', 1, 1)");
        }
        Path config = config("server: { port: 0 }\ndatabase: { url: \"jdbc:sqlite:%s\" }\n".formatted(store));

        Ended ended = antler("serve", "--config", config.toString());

        assertThat(ended.code()).isEqualTo(6);
        assertThat(ended.oneLine()).contains("schema is version " + newer + ", newer than this build's")
                .contains("fix: run the newer Antler");
    }

    @Test
    void configCheckTellsAValidFileFromABadOneWithoutStarting() throws Exception {
        Path valid = config("server: { port: 3000 }\nchannels:\n  - { name: main, type: openai, base_url: \"https://api.openai.com\", key: sk-x, models: [gpt-4o-mini] }\n");
        Ended ok = antler("config", "check", valid.toString());
        assertThat(ok.code()).as(ok.output()).isZero();
        assertThat(ok.output()).contains(valid + " is valid");

        Path badType = config("channels:\n  - { name: main, type: openai-ish, key: sk-x, models: [gpt-4o-mini] }\n");
        Ended bad = antler("config", "check", badType.toString());
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.oneLine()).contains("channels.main.type: openai-ish (expected: one of");
        assertThat(directory.resolve("data")).doesNotExist();
    }

    @Test
    void everyCommandAnswersHelpAndVersionAndAWrongOneIsExitCode2() throws Exception {
        for (String[] command : new String[][] {{}, {"serve"}, {"config"}, {"config", "check"}}) {
            String name = String.join(" ", command);
            Ended help = antler(append(command, "--help"));
            assertThat(help.code()).as(name).isZero();
            assertThat(help.output()).as(name).contains(("Usage: antler " + name).trim());
            Ended version = antler(append(command, "-V"));
            assertThat(version.code()).as(name).isZero();
            assertThat(version.output()).as(name).contains("Antler 0.1.0");
        }
        Ended wrong = antler("serve", "--bogus");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.output()).contains("Unknown option: '--bogus'");
        assertThat(directory.resolve("data")).as("nothing started").doesNotExist();
    }

    private static String[] append(String[] command, String argument) {
        String[] all = java.util.Arrays.copyOf(command, command.length + 1);
        all[command.length] = argument;
        return all;
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(directory, "antler", ".yaml"), yaml);
    }

    private record Ended(int code, String output) {
        /** The output, which must be one line without a stack trace. */
        String oneLine() {
            assertThat(output.strip().lines().toList()).as(output).hasSize(1);
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception");
            return output;
        }
    }

    private Ended antler(String... arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.antler.Main"));
        command.addAll(List.of(arguments));
        Path output = directory.resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ANTLER_"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("antler " + String.join(" ", arguments) + " did not end: " + Files.readString(output));
        }
        return new Ended(process.exitValue(), Files.readString(output));
    }
}

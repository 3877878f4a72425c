package dev.antler.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./antler dist} makes an archive that runs where no JDK is: it is built from the jar Maven has just
 * packaged (so this test runs in the integration-test phase, tag {@code dist}), unpacked, and started with a
 * PATH that holds only the few tools the launcher uses, no {@code java}; a chat request is relayed through it.
 * The AOT cache is left out here (ANTLER_AOT=0) to keep the suite fast; {@code ./antler dist} trains it.
 */
@Tag("dist")
class DistArchiveTest {

    private static final String ADMIN_KEY = "sk-admin-dist-test-00000000000000";
    private static final String USER_KEY = "sk-dist-test-user-000000000000000";

    @TempDir
    Path scratch;

    @Test
    void theArchiveRelaysARequestWithNoJavaOnThePath() throws Exception {
        Path jar = Path.of("target", "antler.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/antler.jar is not built: the dist archive test "
                + "runs after mvn package (./antler test runs it)");
        Assumptions.assumeTrue(canLink(), "skipped: this JDK (" + System.getProperty("java.home") + ") has neither "
                + "jmods nor a linkable runtime, so jlink cannot make the archive's runtime");
        // Maven leaves an unchanged jar's time alone; it was packaged from these sources in this very build.
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));

        Path log = scratch.resolve("dist.log");
        ProcessBuilder dist = new ProcessBuilder("./antler", "dist").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        dist.environment().put("JAVA_HOME", System.getProperty("java.home"));
        dist.environment().put("ANTLER_AOT", "0");
        Process built = dist.start();
        assertThat(built.waitFor(5, TimeUnit.MINUTES)).as("./antler dist finishes").isTrue();
        assertThat(built.exitValue()).as(Files.readString(log)).isZero();
        Path archive;
        try (var files = Files.list(Path.of("target"))) {
            archive = files.filter(f -> f.getFileName().toString().endsWith("-linux-x64.tar.gz")).findFirst().orElseThrow();
        }

        Path unpacked = Files.createDirectories(scratch.resolve("unpacked"));
        assertThat(new ProcessBuilder("tar", "-C", unpacked.toString(), "-xzf", archive.toAbsolutePath().toString())
                .inheritIO().start().waitFor()).isZero();
        Path home;
        try (var dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
        for (String file : List.of("bin/antler", "runtime/bin/java", "app/antler.jar", "README.md", "LICENSE",
                "THIRD-PARTY.txt")) {
            assertThat(home.resolve(file)).as(file).exists();
        }

        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            Path config = scratch.resolve("antler.yaml");
            Files.writeString(config, """
                    server: { port: 0, host: 127.0.0.1 }
                    database: { url: "jdbc:sqlite:%s" }
                    admin: { key: "%s" }
                    security: { allow_private_base_urls: true }
                    channels:
                      - { name: fake, type: openai, base_url: "%s", key: sk-upstream, models: [gpt-4o-mini], groups: [default] }
                    users:
                      - { name: dist, group: default, balance: 10.00, keys: [{ name: dist, key: "%s" }] }
                    """.formatted(scratch.resolve("antler.db"), ADMIN_KEY, upstream.baseUrl(), USER_KEY));
            Path output = scratch.resolve("gateway.log");
            ProcessBuilder serve = new ProcessBuilder(home.resolve("bin/antler").toString(), "serve", "--config",
                    config.toString()).directory(scratch.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            serve.environment().clear();
            serve.environment().put("PATH", toolsWithoutJava().toString());
            serve.environment().put("HOME", scratch.toString());
            Process gateway = serve.start();
            try {
                int port = awaitPort(gateway, output);
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + USER_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("\"choices\"");
                assertThat(upstream.requests()).hasSize(1);
            } finally {
                gateway.destroy();
                assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
                deleteLinks();  // before @TempDir's clean-up, which warns of links pointing outside it
            }
        }
    }

    /** A directory of links to the tools bin/antler uses, and nothing else: no java on this PATH. */
    private Path toolsWithoutJava() throws IOException {
        Path bin = Files.createDirectories(scratch.resolve("path-bin"));
        for (String tool : List.of("bash", "dirname", "readlink", "sed")) {
            Path found = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException(tool + " not found"));
            Files.createSymbolicLink(bin.resolve(tool), found.toRealPath());
        }
        assertThat(bin.resolve("java")).doesNotExist();
        return bin;
    }

    private void deleteLinks() throws IOException {
        try (var links = Files.list(scratch.resolve("path-bin"))) {
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        }
    }

    private static int awaitPort(Process gateway, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String log = Files.readString(output);
            var port = java.util.regex.Pattern.compile("Antler is listening on port (\\d+)").matcher(log);
            if (port.find()) {
                return Integer.parseInt(port.group(1));
            }
            assertThat(gateway.isAlive()).as("the archive's gateway ended: " + log).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the archive's gateway did not start within 60 s: " + Files.readString(output));
    }

    /** Whether jlink can make a runtime here (from jmods, or from a JDK 24+ linkable runtime). */
    private boolean canLink() throws Exception {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            return false;
        }
        Process probe = new ProcessBuilder(jlink.toString(), "--add-modules", "java.base", "--output",
                scratch.resolve("probe-runtime").toString()).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("probe.log").toFile()).start();
        return probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
    }
}

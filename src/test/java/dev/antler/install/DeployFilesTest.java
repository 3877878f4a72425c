package dev.antler.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.app.ConfigCheck;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Dockerfile and docker-compose.yml, checked as far as can be without pulling images: what the Dockerfile
 * copies exists (and is not ignored), the image runs the dist launcher as a non-root user with a health check
 * the launcher serves, and each compose instance runs a launcher command with a config that passes
 * {@code config check}, on the port that config listens on, against the compose file's database.
 */
class DeployFilesTest {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path BALANCER_CONFIG = Path.of("deploy/nginx.conf");

    private static final Path LAUNCHER = Path.of("packaging", "antler");

    @Test
    void everyFileTheDockerfileCopiesIsInTheBuildContext() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String[] words = line.strip().split("\\s+");
            if ((words[0].equals("COPY") || words[0].equals("ADD")) && !line.contains("--from=")) {
                sources.addAll(List.of(words).subList(1, words.length - 1));
            }
        }
        assertThat(sources).contains("pom.xml", "antler", "src", "packaging");
        for (String source : sources) {
            assertThat(Path.of(source)).as("COPY " + source).exists();
            assertThat(ignored).as(source + " is left out of the build context by .dockerignore").doesNotContain(source);
        }
    }

    @Test
    void theImageRunsTheDistLauncherAsAnUnprivilegedUserAndProbesReadiness() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String launcher = Files.readString(LAUNCHER);
        assertThat(dockerfile).contains("RUN ./antler dist && mv target/dist/antler-* /opt/antler")
                .contains("COPY --from=build /opt/antler /opt/antler")
                .contains("ENTRYPOINT [\"/opt/antler/bin/antler\"]");
        assertThat(Files.readString(Path.of("antler"))).contains("cp packaging/antler \"$stage/bin/antler\"");
        assertThat(lastValue(dockerfile, "USER")).isNotIn("root", "0");
        assertThat(dockerfile).containsPattern("HEALTHCHECK .*CMD \\[\"/opt/antler/bin/antler\", \"health\"\\]");
        assertThat(launcher).contains("  health)").contains("GET /health/ready HTTP/1.0");
        assertThat(lastValue(dockerfile, "EXPOSE")).isEqualTo(String.valueOf(defaultPort()));
        assertThat(launcherCommands()).contains(jsonWords(lastValue(dockerfile, "CMD")).getFirst());
    }

    @Test
    void eachComposeInstanceRunsTheLauncherWithAValidConfigOnItsPort() throws Exception {
        // Read with aliases resolved (Jackson keeps an alias as its name): the instances share one anchored block.
        Object tree = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(COMPOSE));
        JsonNode compose = new ObjectMapper().valueToTree(tree);
        JsonNode services = compose.get("services");
        List<String> instances = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : services.properties()) {
            JsonNode service = merged(entry.getValue());
            if (!service.has("build")) {
                continue;
            }
            instances.add(entry.getKey());
            List<String> command = new ArrayList<>();
            service.get("command").forEach(word -> command.add(word.asString()));
            assertThat(launcherCommands()).as(entry.getKey() + " command").contains(command.getFirst());
            assertThat(command.get(1)).isEqualTo("--config");
            Path config = mountedFile(service, command.get(2));
            AntlerConfig loaded = new ConfigLoader(name -> null).load(config);
            ConfigCheck.check(loaded);  // what ./antler config check does; throws on a bad config
            int port = loaded.server().port();
            assertThat(service.get("expose").get(0).asString()).as(entry.getKey() + " expose").isEqualTo(String.valueOf(port));
            assertThat(Files.readString(BALANCER_CONFIG)).as("the load balancer sends to " + entry.getKey())
                    .containsPattern("\\n\\s*server " + entry.getKey() + ":" + port + "[ ;]");
            Matcher database = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(loaded.database().url());
            assertThat(database.matches()).as(loaded.database().url()).isTrue();
            JsonNode postgres = services.get(database.group(1));
            assertThat(postgres).as("the database host is a compose service").isNotNull();
            assertThat(postgres.get("image").asString()).startsWith("postgres:");
            assertThat(database.group(2)).isEqualTo("5432");
            assertThat(postgres.get("environment").get("POSTGRES_DB").asString()).isEqualTo(database.group(3));
            assertThat(postgres.get("environment").get("POSTGRES_USER").asString()).isEqualTo(loaded.database().username());
            assertThat(service.get("environment").has("ANTLER_DATABASE_PASSWORD")).isTrue();
        }
        assertThat(instances).hasSize(3);
        assertThat(services.has("redis")).isTrue();
        JsonNode balancer = services.get("lb");
        assertThat(balancer.get("image").asString()).startsWith("nginx:");
        assertThat(mountedFile(balancer, "/etc/nginx/nginx.conf").normalize()).isEqualTo(BALANCER_CONFIG);
        assertThat(balancer.get("ports").get(0).asString()).isEqualTo("3000:3000");
        // The balancer's fixed address is the proxy whose X-Forwarded-For the instances believe.
        String address = balancer.get("networks").get("default").get("ipv4_address").asString();
        assertThat(new ConfigLoader(name -> null).load(Path.of("deploy/antler.yaml")).console().trustedProxies())
                .containsExactly(address);
    }

    @Test
    void nginxAcceptsTheLoadBalancerConfig(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(run("nginx", "-v") == 0,
                "skipped: nginx is not installed here (apt-get install nginx-light); the file's upstreams are checked "
                        + "by the compose test");
        // The instances' names resolve only inside compose: test the same file with them on this host.
        Path config = dir.resolve("nginx.conf");
        Files.writeString(config, Files.readString(BALANCER_CONFIG).replaceAll("server antler-\\d+:", "server 127.0.0.1:"));
        assertThat(run("nginx", "-t", "-q", "-p", dir.toString(), "-c", config.toString(), "-g",
                "pid " + dir.resolve("nginx.pid") + "; error_log " + dir.resolve("error.log") + ";")).isZero();
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Assumptions.assumeTrue(run("docker", "compose", "version") == 0,
                "skipped: docker compose is not installed here; the file's contents are checked by the other tests");
        assertThat(run("docker", "compose", "-f", COMPOSE.toString(), "config", "--quiet")).isZero();
    }

    /** A compose service with its {@code <<} merge (the shared instance settings) applied. */
    private static JsonNode merged(JsonNode service) {
        if (!service.has("<<")) {
            return service;
        }
        ObjectNode merged = ((ObjectNode) service.get("<<")).deepCopy();
        service.properties().forEach(e -> {
            if (!e.getKey().equals("<<")) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    /** The file in this repository that {@code service} mounts at {@code target}. */
    private static Path mountedFile(JsonNode service, String target) {
        for (JsonNode volume : service.get("volumes")) {
            String[] parts = volume.asString().split(":");
            if (parts[1].equals(target)) {
                Path file = Path.of(parts[0]);
                assertThat(file).as(volume.asString()).isRegularFile();
                return file;
            }
        }
        throw new AssertionError(target + " is not mounted");
    }

    private static List<String> launcherCommands() throws IOException {
        List<String> commands = new ArrayList<>();
        Matcher cases = Pattern.compile("(?m)^  ([a-z|]+)\\)").matcher(Files.readString(LAUNCHER));
        while (cases.find()) {
            commands.addAll(List.of(cases.group(1).split("\\|")));
        }
        return commands;
    }

    private static int defaultPort() {
        return new ConfigLoader(name -> null).parse("{}").server().port();
    }

    private static String lastValue(String dockerfile, String instruction) {
        String value = null;
        for (String line : dockerfile.lines().toList()) {
            if (line.startsWith(instruction + " ")) {
                value = line.substring(instruction.length() + 1).strip();
            }
        }
        assertThat(value).as(instruction).isNotNull();
        return value;
    }

    private static List<String> jsonWords(String jsonArray) {
        List<String> words = new ArrayList<>();
        new YAMLMapper().readTree(jsonArray).forEach(word -> words.add(word.asString()));
        return words;
    }

    private static int run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("POSTGRES_PASSWORD", "check-only");
        builder.environment().put("ANTLER_ADMIN_KEY", "sk-admin-check-only-0000000000");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}

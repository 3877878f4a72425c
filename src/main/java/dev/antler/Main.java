package dev.antler;

import dev.antler.app.Gateway;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ConfigException;
import dev.antler.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code antler serve [--config FILE]}, plus {@code -h/--help} and {@code -V/--version}.
 * Parsed by hand, with the texts and exit codes picocli gave: picocli loaded some 170 classes on every start,
 * read its annotations reflectively, and its Java 5 class files are left out of the JDK's AOT cache (issue 7).
 */
public final class Main {

    private static final String USAGE = """
            Usage: antler [-hV] [COMMAND]
            A self-hosted AI API gateway.
              -h, --help      Show this help message and exit.
              -V, --version   Print version information and exit.
            Commands:
              serve  Run the gateway until stopped (SIGTERM or Ctrl-C stop it gracefully).
            """;
    private static final String SERVE_USAGE = """
            Usage: antler serve [-c=<config>]
            Run the gateway until stopped (SIGTERM or Ctrl-C stop it gracefully).
              -c, --config=<config>   YAML config file (default: none; the embedded SQLite
                                        store under ./data/ and port 3000)
            """;

    public static void main(String[] args) {
        // Logging and the config reader (YAML) are a fifth of the start-up: set them up on a second core
        // while the command line is parsed. Either thread may get there first; class set-up is once only.
        Thread.ofPlatform().daemon().name("antler-warmup").start(Main::warmUp);
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code (2 for a usage error, as before). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            out.print(USAGE);
            return 0;
        }
        if (args[0].equals("-V") || args[0].equals("--version")) {
            out.println("Antler 0.1.0");
            return 0;
        }
        if (!args[0].equals("serve")) {
            return usageError(err, (args[0].startsWith("-") ? "Unknown option: '" + args[0] + "'"
                    : "Unmatched argument at index 0: '" + args[0] + "'"), USAGE);
        }
        Path config = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value;
            if (arg.equals("-c") || arg.equals("--config")) {
                if (i + 1 == args.length) {
                    return usageError(err, "Missing required parameter for option '--config' (<config>)", SERVE_USAGE);
                }
                value = args[++i];
            } else if (arg.startsWith("--config=")) {
                value = arg.substring("--config=".length());
            } else if (arg.startsWith("-c")) {
                value = arg.substring(arg.startsWith("-c=") ? 3 : 2);
            } else {
                return usageError(err, arg.startsWith("-") ? "Unknown option: '" + arg + "'"
                        : "Unmatched argument at index " + i + ": '" + arg + "'", SERVE_USAGE);
            }
            if (config != null) {
                return usageError(err, "option '--config' (<config>) should be specified only once", SERVE_USAGE);
            }
            config = Path.of(value);
        }
        try {
            return serve(config, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int usageError(PrintStream err, String problem, String usage) {
        err.println(problem);
        err.print(usage);
        return 2;
    }

    private static void warmUp() {
        try {
            LoggerFactory.getILoggerFactory();
            // Reading an empty config builds and caches the mapper's readers for every config type.
            new ConfigLoader(name -> null).parse("{}");
        } catch (RuntimeException e) {
            // only an optimisation: the main thread sets up the same on first use
        }
    }

    /** {@code antler serve}: runs the gateway until the JVM is stopped. */
    private static int serve(Path config, PrintStream out, PrintStream err) throws InterruptedException {
        AntlerConfig loaded;
        try {
            loaded = ConfigLoader.fromSystemEnv().load(config);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("antler: " + e.getMessage());
            return 2;
        }
        Gateway gateway = Gateway.start(loaded, Clock.systemUTC());
        gateway.generatedAdminKey().ifPresent(key -> out.println("""

                ================================================================
                 Antler created an admin key. It is shown this once only:

                   %s

                 Use it as "Authorization: Bearer <key>" on /api/admin/...
                 Set admin.key in the config file to choose your own.
                ================================================================
                """.formatted(key)));
        out.println("Antler is listening on port " + gateway.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "antler-shutdown"));
        stopped.await();
        return 0;
    }
}

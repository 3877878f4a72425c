package dev.antler;

import dev.antler.app.ConfigCheck;
import dev.antler.app.Gateway;
import dev.antler.app.LogSetup;
import dev.antler.app.StartFailure;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ConfigException;
import dev.antler.config.ConfigLoader;
import dev.antler.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code antler serve [--config FILE]} and {@code antler config check FILE}. A start that
 * fails for a reason the operator can fix prints one line (the problem and the fix) and exits with its own
 * code: 3 a bad config, 4 the port, 5 the database, 6 a failed schema migration ({@link StartFailure.Kind}); 2 a wrong command line.
 */
@Command(name = "antler", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "A self-hosted AI API gateway.", subcommands = {Main.Serve.class, Main.Config.class})
public final class Main implements Runnable {

    static final String VERSION = "Antler 0.1.0";

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            // Logging, the store's first statement and the config reader (YAML) are a third of the start-up: set up
            // on two threads beside the command line's parse. Any thread may get there first; class set-up is once
            // only. Logging goes before the store, whose libraries log (a logging call made while another thread
            // sets logging up is replayed with a warning of SLF4J's on the console).
            warmUp("antler-warmup-store", () -> {
                LoggerFactory.getILoggerFactory();
                Database.warmUp();
            });
            // Reading an empty config builds and caches the mapper's readers for every config type.
            warmUp("antler-warmup-config", () -> new ConfigLoader(name -> null).parse("{}"));
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    private static void warmUp(String name, Runnable work) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                // only an optimisation: the main thread sets up the same on first use
            }
        });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, version = Main.VERSION, description = "Run the gateway until stopped (SIGTERM or Ctrl-C stop it gracefully).")
    static final class Serve implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, description = "YAML config file (default: none; the embedded SQLite store "
                + "under ./data/ and port 3000)")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            Gateway gateway;
            AntlerConfig loaded;
            try {
                loaded = load(config);
                logging(loaded);
                gateway = Gateway.start(loaded, Clock.systemUTC());
            } catch (StartFailure e) {
                System.err.println("antler: " + e.getMessage());
                return e.kind().exitCode();
            }
            gateway.generatedAdminKey().ifPresent(key -> System.out.println("""

                    ================================================================
                     Antler created an admin key. It is shown this once only:

                       %s

                     Use it as "Authorization: Bearer <key>" on /api/admin/...
                     Set admin.key in the config file to choose your own.
                    ================================================================
                    """.formatted(key)));
            System.out.println("Antler is listening on port " + gateway.port());
            System.out.println("Console: " + consoleUrl(loaded.server().host(), gateway.port()));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "antler-shutdown"));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, version = Main.VERSION, description = "Work with config files.", subcommands = Config.Check.class)
    static final class Config implements Runnable {

        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }

        @Command(name = "check", mixinStandardHelpOptions = true, version = Main.VERSION, description = "Check a config file as a start would (with the ANTLER_ variables "
                + "applied), without starting: no port is opened and the database is not contacted. Exit code 0 "
                + "when it is valid, 3 when not.")
        static final class Check implements Callable<Integer> {

            @picocli.CommandLine.Parameters(paramLabel = "FILE", description = "YAML config file")
            Path file;

            @Override
            public Integer call() {
                try {
                    ConfigCheck.check(load(file));
                } catch (StartFailure e) {
                    System.err.println("antler: " + e.getMessage());
                    return e.kind().exitCode();
                }
                System.out.println("antler: " + file + " is valid");
                return 0;
            }
        }
    }

    /** Applies the config's log format and levels; a bad level (from ANTLER_LOG_LEVELS) is a StartFailure. */
    private static void logging(AntlerConfig config) {
        try {
            LogSetup.apply(config.logging());
        } catch (IllegalArgumentException e) {
            throw StartFailure.config(e.getMessage());
        }
    }

    /** The config file (none: the defaults) with the ANTLER_ variables applied; a bad one is a StartFailure. */
    private static AntlerConfig load(Path file) {
        try {
            return ConfigLoader.fromSystemEnv().load(file);
        } catch (ConfigException | IllegalArgumentException e) {
            throw StartFailure.config(e.getMessage());
        }
    }

    /** The console's address as a browser on this machine reaches it: a wildcard bind address is localhost. */
    static String consoleUrl(String host, int port) {
        String shown = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")
                ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port + "/";
    }
}

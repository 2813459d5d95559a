package org.semisync.proxy.cli;

import io.netty.util.ResourceLeakDetector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.logging.JulBridge;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code semisync-proxy [run] --master HOST:PORT ...}, {@code semisync-proxy demo}, {@code --help},
 * {@code --version}. Bad input ends with one line on stderr and a non-zero exit, never a stack trace.
 */
@Command(
        name = "semisync-proxy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Semi-synchronous replication for any MySQL/MariaDB master, enforced by a proxy.",
        subcommands = {RunCommand.class, DemoCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad options or configuration. */
    public static final int EXIT_USAGE = 2;

    /** Exit code for a failure at start-up (master unreachable, port in use). */
    public static final int EXIT_FAILURE = 1;

    public static void main(final String[] args) {
        poolLargeBuffers();
        quietLeakDetector();
        System.exit(execute(args));
    }

    /**
     * Netty's default leak detector samples about one buffer in a hundred and fills in a stack trace for each: 1.7 %
     * of the proxy's CPU under load (perf/results). The test suite runs with {@code paranoid}; a level given with
     * {@code -Dio.netty.leakDetection.level} (or Netty's older {@code -Dio.netty.leakDetectionLevel}) is kept.
     */
    static void quietLeakDetector() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** Netty's switch for its adaptive allocator's low-memory mode. */
    static final String LOW_MEMORY_PROPERTY = "io.netty.allocator.lowMemory";

    /**
     * Netty's adaptive allocator judges memory by the heap: at 512 MiB or less (the JVM's default in a container of
     * 2 GiB) it stops pooling buffers over 16 KiB and drops its per-thread caches. Each batch of binlog events for a
     * replica (32 KiB) and each large read then costs a fresh zeroed direct buffer: 2.6 instead of 0.3 µs. The
     * proxy's buffers live outside the heap, so its size says nothing about them: pool as usual unless
     * {@code -Dio.netty.allocator.lowMemory} says otherwise. Must run before Netty's allocator is loaded.
     */
    static void poolLargeBuffers() {
        if (System.getProperty(LOW_MEMORY_PROPERTY) == null) {
            System.setProperty(LOW_MEMORY_PROPERTY, "false");
        }
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int execute(final String... args) {
        JulBridge.install();
        final CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            final PrintWriter err = e.getCommandLine().getErr();
            err.println("semisync-proxy: " + e.getMessage() + " (see --help)");
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            final PrintWriter err = commandLine.getErr();
            err.println("semisync-proxy: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILURE;
        });
        final String[] effective = withDefaultSubcommand(args);
        try {
            final CommandLine run = cli.getSubcommands().get("run");
            final java.util.Set<String> keys = new java.util.TreeSet<>();
            run.getCommandSpec().options().forEach(o -> keys.add(o.longestName().replaceFirst("^--", "")));
            run.setDefaultValueProvider(OptionDefaults.load(System.getenv(), configFile(effective), keys));
        } catch (IllegalArgumentException e) {
            cli.getErr().println("semisync-proxy: " + e.getMessage());
            cli.getErr().flush();
            return EXIT_USAGE;
        }
        return cli.execute(effective);
    }

    /** The value of {@code --config} if present (before picocli parses, so the file can supply defaults). */
    static java.nio.file.Path configFile(final String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return java.nio.file.Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return java.nio.file.Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    /** {@code semisync-proxy --master h:p} means {@code semisync-proxy run --master h:p}. */
    static String[] withDefaultSubcommand(final String[] args) {
        if (args.length == 0) {
            return args;
        }
        final String first = args[0];
        final boolean topLevel =
                first.equals("-h") || first.equals("--help") || first.equals("-V") || first.equals("--version");
        if (first.startsWith("-") && !topLevel) {
            final List<String> withRun = new ArrayList<>(List.of("run"));
            withRun.addAll(List.of(args));
            return withRun.toArray(String[]::new);
        }
        return args;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"semisync-proxy " + (v == null ? "(development build)" : v)};
        }
    }
}

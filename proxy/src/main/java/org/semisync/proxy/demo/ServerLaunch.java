package org.semisync.proxy.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command lines of one embedded server: its install script and its server process, with the options every test
 * server shares (loopback only, binary log in ROW format, a redo log large enough for 20+ MiB rows) and its own.
 */
final class ServerLaunch {
    /** Run by the first start of a data directory (without binary logging: replicas never replay it). */
    static final String INIT_SQL = String.join(
            "\n",
            "SET sql_log_bin=0;",
            "DELETE FROM mysql.user WHERE user='';",
            "CREATE USER IF NOT EXISTS 'root'@'%';",
            "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;",
            "CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl_pass';",
            "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%';",
            "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app_pass';",
            "GRANT ALL ON *.* TO 'app'@'%';",
            "CREATE DATABASE IF NOT EXISTS app;",
            "FLUSH PRIVILEGES;",
            "");

    private final MariaDbDistribution distribution;
    private final Path baseDir;
    private final Path dataDir;
    private final int port;
    private final int serverId;
    private final Map<String, String> options;
    /** Serves TLS; otherwise {@code --skip-ssl}. */
    private final boolean tls;

    ServerLaunch(
            final MariaDbDistribution distribution,
            final Path baseDir,
            final int port,
            final int serverId,
            final Map<String, String> options,
            final boolean tls) {
        this.distribution = distribution;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.port = port;
        this.serverId = serverId;
        this.options = options;
        this.tls = tls;
    }

    /** The server process, its output in {@code stdout.log}; {@code firstStart} adds the accounts' init file. */
    ProcessBuilder server(final boolean firstStart) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(distribution.resolve(distribution.version().serverBinary()).toString());
        command.addAll(commonOptions());
        command.add("--port=" + port);
        command.add("--bind-address=127.0.0.1");
        command.add("--socket=" + baseDir.resolve("mysqld.sock"));
        command.add("--pid-file=" + baseDir.resolve("mysqld.pid"));
        command.add("--log-error=" + baseDir.resolve("error.log"));
        command.add("--server-id=" + serverId);
        command.add("--log-bin=mysql-bin");
        command.add("--binlog-format=ROW");
        command.add("--max-allowed-packet=64M");
        command.add("--innodb-buffer-pool-size=64M");
        // 10% of the redo log bounds one transaction's BLOB data: 2 x 256M lets 20+ MiB rows through on 10.1
        command.add("--innodb-log-file-size=256M");
        command.add("--skip-name-resolve");
        if (!tls) {
            // 11.4 generates a self-signed certificate at every start when none is configured: seconds of CPU
            command.add("--skip-ssl");
        }
        if (firstStart) {
            final Path init = baseDir.resolve("init.sql");
            Files.writeString(init, INIT_SQL);
            command.add("--init-file=" + init);
        }
        options.forEach((k, v) -> command.add(v == null ? "--" + k : "--" + k + "=" + v));
        final ProcessBuilder pb = new ProcessBuilder(command)
                .directory(distribution.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(baseDir.resolve("stdout.log").toFile());
        environment(pb);
        return pb;
    }

    /** Runs the install script into an empty data directory. */
    void install() throws IOException {
        Files.createDirectories(dataDir);
        final List<String> command = new ArrayList<>();
        command.add(distribution.resolve(distribution.version().installScript()).toString());
        command.addAll(commonOptions());
        command.addAll(distribution.version().installOptions());
        final ProcessBuilder pb = new ProcessBuilder(command)
                .directory(distribution.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(baseDir.resolve("install.log").toFile());
        environment(pb);
        final Process install = pb.start();
        try {
            if (!install.waitFor(5, TimeUnit.MINUTES)) {
                install.destroyForcibly();
                throw new IOException("install script did not finish in 5 minutes: "
                        + EmbeddedMariaDb.tail(baseDir.resolve("install.log")));
            }
            if (install.exitValue() != 0) {
                throw new IOException("install script exited with " + install.exitValue() + ": "
                        + EmbeddedMariaDb.tail(baseDir.resolve("install.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            install.destroyForcibly();
            throw new IOException("interrupted while installing", e);
        }
    }

    private List<String> commonOptions() {
        return List.of(
                "--no-defaults",
                "--basedir=" + distribution.home(),
                "--datadir=" + dataDir,
                "--user=" + System.getProperty("user.name"));
    }

    /**
     * The bundled libraries, and a temporary directory of this server's own: with the shared /tmp, a server
     * installing at the same moment elsewhere on the machine removed the bootstrap's {@code #sql-temptable} files
     * and failed it (seen with parallel test runs).
     */
    private void environment(final ProcessBuilder pb) throws IOException {
        pb.environment().put("LD_LIBRARY_PATH", distribution.resolve("libs").toString());
        final Path tmp = Files.createDirectories(baseDir.resolve("tmp"));
        pb.environment().put("TMPDIR", tmp.toString());
    }
}

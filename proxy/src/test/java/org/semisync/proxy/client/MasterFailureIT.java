package org.semisync.proxy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.SharedServers;

/** The master going away, coming back, or never answering; clients that stall; the stock CLI. */
@ExtendWith(SharedServers.class)
class MasterFailureIT {
    @Test
    void masterKilledAndRestartedUnderConnectedClients() throws Exception {
        try (EmbeddedMariaDb master = EmbeddedMariaDb.builder(MariaDbVersion.V10_2_11)
                        .name("failing-master")
                        .serverId(31)
                        .build()
                        .start();
                ProxyUnderTest proxy = ProxyUnderTest.start(master.port())) {
            final String url = proxy.mariadbUrl("app", "");
            final Connection idle = DriverManager.getConnection(url, "app", "app_pass");
            final Connection busy = DriverManager.getConnection(url, "app", "app_pass");
            assertThat(idle.isValid(2)).isTrue();

            master.kill();
            assertThatThrownBy(() -> busy.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "app", "app_pass"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("semisync-proxy: cannot connect to master 127.0.0.1:" + master.port());
            assertThat(idle.isValid(2)).isFalse();

            master.start();
            try (Connection again = DriverManager.getConnection(url, "app", "app_pass");
                    ResultSet rs = again.createStatement().executeQuery("SELECT 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            idle.close();
            busy.close();
            assertThat(proxy.server().counters().open()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void unreachableMasterGivesAClearErrorAndTheProxyStaysUp() throws Exception {
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (ProxyUnderTest proxy = ProxyUnderTest.start(deadPort)) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> DriverManager.getConnection(proxy.mariadbUrl("", ""), "app", "app_pass"))
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getMessage())
                                        .contains("cannot connect to master 127.0.0.1:" + deadPort));
            }
        }
    }

    @Test
    void idleHandshakeTimesOutWithAnErrPacket() throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        try (ProxyUnderTest proxy =
                        ProxyUnderTest.start(master.port(), b -> b.handshakeTimeout(Duration.ofMillis(800)));
                Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] greeting = readPacket(in);
            assertThat(greeting[0]).isEqualTo((byte) 10);
            final long start = System.nanoTime();
            final byte[] err = readPacket(in);
            assertThat(err[0]).isEqualTo((byte) 0xFF);
            assertThat(new String(err, StandardCharsets.UTF_8)).contains("handshake not completed within 800 ms");
            assertThat(in.read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
        }
    }

    @Test
    void stockMariadbCommandLineClientWorksThroughTheProxy() throws Exception {
        final Path cli = Path.of("/usr/bin/mariadb");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(cli), "Debian's mariadb client is not installed (apt-get install mariadb-client)");
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        try (ProxyUnderTest proxy = ProxyUnderTest.start(master.port())) {
            final Process p = new ProcessBuilder(
                            cli.toString(),
                            "--no-defaults",
                            "-h127.0.0.1",
                            "-P" + proxy.port(),
                            "-uapp",
                            "-papp_pass",
                            "--skip-ssl",
                            "-N",
                            "-e",
                            "select 1+1")
                    .redirectErrorStream(true)
                    .start();
            final String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out.trim()).isEqualTo("2");
        }
    }

    private static byte[] readPacket(final DataInputStream in) throws IOException {
        final int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        in.readUnsignedByte();
        final byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }
}

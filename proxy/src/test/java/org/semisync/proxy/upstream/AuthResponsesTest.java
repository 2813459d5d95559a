package org.semisync.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.protocol.Security;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class AuthResponsesTest {
    /** The scramble of the captured MariaDB 10.11 greeting (HandshakeTest.GREETING), parts 1 and 2. */
    private static final byte[] SCRAMBLE = HexFormat.of().parseHex("563f7658353d734c612531652b4350495c734e6a");

    private static final byte[] PASSWORD = "repl_pass".getBytes(StandardCharsets.UTF_8);

    @Test
    void nativePasswordIsWhatTheCapturedReplicaSent() {
        // the auth data of the replica IO thread's handshake response in HandshakeTest.RESPONSE
        assertThat(HexFormat.of().formatHex(AuthResponses.nativePassword(PASSWORD, SCRAMBLE)))
                .isEqualTo("81568d7fa19089910111dfc5ddc783accf15294c");
    }

    @Test
    void anAuthSwitchScrambleWithItsNulGivesTheSameAnswer() {
        final byte[] withNul = java.util.Arrays.copyOf(SCRAMBLE, 21);
        assertThat(AuthResponses.nativePassword(PASSWORD, withNul))
                .isEqualTo(AuthResponses.nativePassword(PASSWORD, SCRAMBLE));
        assertThat(AuthResponses.cachingSha2(PASSWORD, withNul))
                .isEqualTo(AuthResponses.cachingSha2(PASSWORD, SCRAMBLE));
    }

    @Test
    void bothScramblesAgreeWithMysqlConnectorJ() throws Exception {
        assertThat(AuthResponses.nativePassword(PASSWORD, SCRAMBLE))
                .isEqualTo(Security.scramble411(PASSWORD, SCRAMBLE));
        assertThat(AuthResponses.cachingSha2(PASSWORD, SCRAMBLE))
                .isEqualTo(Security.scrambleCachingSha2(PASSWORD, SCRAMBLE));
    }

    @Test
    void anEmptyPasswordSendsNothing() {
        assertThat(AuthResponses.nativePassword(new byte[0], SCRAMBLE)).isEmpty();
        assertThat(AuthResponses.cachingSha2(new byte[0], SCRAMBLE)).isEmpty();
    }

    @Test
    void theFullAuthPasswordDecryptsWithTheServersKeyToPasswordNulXorScramble() throws Exception {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair keys = generator.generateKeyPair();
        final String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

        final byte[] sent = AuthResponses.rsaEncryptedPassword(PASSWORD, SCRAMBLE, pem);

        final Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        final byte[] plain = cipher.doFinal(sent);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= SCRAMBLE[i % SCRAMBLE.length];
        }
        assertThat(plain).isEqualTo("repl_pass\0".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownPluginOrKeyIsAClearRefusal() {
        assertThatThrownBy(() -> AuthResponses.forPlugin("client_ed25519", PASSWORD, SCRAMBLE))
                .isInstanceOf(MasterRefusedException.class)
                .hasMessageContaining("client_ed25519")
                .hasMessageContaining("mysql_native_password");
        assertThatThrownBy(() -> AuthResponses.rsaEncryptedPassword(PASSWORD, SCRAMBLE, "not a key"))
                .isInstanceOf(MasterRefusedException.class)
                .hasMessageContaining("RSA public key");
    }
}

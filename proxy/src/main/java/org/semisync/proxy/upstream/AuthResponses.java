package org.semisync.proxy.upstream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/** What a client answers to the master's auth challenge, per auth plugin. */
final class AuthResponses {
    static final String NATIVE_PASSWORD = "mysql_native_password";
    static final String CACHING_SHA2_PASSWORD = "caching_sha2_password";

    private AuthResponses() {}

    /**
     * The first answer for {@code plugin}.
     *
     * @throws MasterRefusedException for a plugin the tail does not speak
     */
    static byte[] forPlugin(final String plugin, final byte[] password, final byte[] scramble) {
        return switch (plugin) {
            case NATIVE_PASSWORD -> nativePassword(password, scramble);
            case CACHING_SHA2_PASSWORD -> cachingSha2(password, scramble);
            default ->
                throw new MasterRefusedException("the master asks for auth plugin " + plugin
                        + ", which the binlog tail does not speak; give the replication user " + NATIVE_PASSWORD
                        + " or " + CACHING_SHA2_PASSWORD);
        };
    }

    /** SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))); empty for an empty password. */
    static byte[] nativePassword(final byte[] password, final byte[] scramble) {
        if (password.length == 0) {
            return new byte[0];
        }
        final byte[] stage1 = digest("SHA-1", password);
        final byte[] stage2 = digest("SHA-1", stage1);
        final byte[] mix = digest("SHA-1", scramble20(scramble), stage2);
        return xor(stage1, mix);
    }

    /** SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble); the fast path of caching_sha2. */
    static byte[] cachingSha2(final byte[] password, final byte[] scramble) {
        if (password.length == 0) {
            return new byte[0];
        }
        final byte[] stage1 = digest("SHA-256", password);
        final byte[] stage2 = digest("SHA-256", stage1);
        final byte[] mix = digest("SHA-256", stage2, scramble20(scramble));
        return xor(stage1, mix);
    }

    /**
     * caching_sha2's full authentication without TLS: the password (NUL-terminated) XOR the scramble, encrypted with
     * the server's RSA public key (PEM) with OAEP padding, as MySQL 8.0.5 and later expect.
     */
    static byte[] rsaEncryptedPassword(final byte[] password, final byte[] scramble, final String pemPublicKey) {
        final byte[] seed = scramble20(scramble);
        final byte[] plain = new byte[password.length + 1];
        System.arraycopy(password, 0, plain, 0, password.length);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= seed[i % seed.length];
        }
        try {
            final Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.ENCRYPT_MODE, publicKey(pemPublicKey));
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MasterRefusedException("the master's RSA public key could not be used: " + e.getMessage(), e);
        }
    }

    static PublicKey publicKey(final String pem) throws GeneralSecurityException {
        final String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    static byte[] utf8(final String password) {
        return password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
    }

    /** The scramble without a trailing NUL (an auth switch request sends the 20 bytes plus NUL). */
    private static byte[] scramble20(final byte[] scramble) {
        if (scramble.length == 21 && scramble[20] == 0) {
            return java.util.Arrays.copyOf(scramble, 20);
        }
        return scramble;
    }

    private static byte[] xor(final byte[] a, final byte[] b) {
        final byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] digest(final String algorithm, final byte[]... parts) {
        try {
            final MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}

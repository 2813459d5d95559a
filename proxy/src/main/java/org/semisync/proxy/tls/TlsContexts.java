package org.semisync.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.semisync.proxy.config.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for both sides of a proxied session. Clients are served with the configured certificate, or with a
 * self-signed one generated at start-up. Towards the master the proxy encrypts but does not verify the certificate:
 * the master is configured by the operator, like a replica's {@code MASTER_SSL_VERIFY_SERVER_CERT=0}.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private final SslContext server;
    private final SslContext client;

    private TlsContexts(final SslContext server, final SslContext client) {
        this.server = server;
        this.client = client;
    }

    /** Builds the contexts from the configuration. */
    public static TlsContexts create(final ProxyConfig config) {
        try {
            final SslContextBuilder serverBuilder;
            if (config.tlsCertificate() != null) {
                serverBuilder = SslContextBuilder.forServer(
                        config.tlsCertificate().toFile(), config.tlsPrivateKey().toFile());
                LOG.info("tls - serving clients with certificate {}", config.tlsCertificate());
            } else {
                final SelfSignedCertificate selfSigned = new SelfSignedCertificate("semisync-proxy");
                serverBuilder = SslContextBuilder.forServer(selfSigned.certificate(), selfSigned.privateKey());
                LOG.info("tls - no certificate configured, serving clients with a generated self-signed one");
            }
            final SslContext client = SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null)
                    .build();
            return new TlsContexts(serverBuilder.build(), client);
        } catch (SSLException | CertificateException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read TLS certificate or key: " + e.getMessage(), e);
        }
    }

    /** Context for the client side (the proxy is the TLS server). */
    public SslContext server() {
        return server;
    }

    /** Context for the master side (the proxy is the TLS client). */
    public SslContext client() {
        return client;
    }
}

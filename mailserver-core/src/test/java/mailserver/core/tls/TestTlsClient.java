package mailserver.core.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A JDK TLS client for tests: trusts any server certificate, so tests can inspect what they got. */
public final class TestTlsClient {

    private TestTlsClient() {
    }

    /** Connects to 127.0.0.1:{@code port} and completes the handshake with one of {@code protocols}. */
    public static SSLSocket connect(int port, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) factory().createSocket("127.0.0.1", port);
        return handshake(socket, protocols);
    }

    /** Starts TLS over an already connected plain socket (after STARTTLS). */
    public static SSLSocket upgrade(Socket plain, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) factory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        return handshake(socket, protocols);
    }

    private static SSLSocket handshake(SSLSocket socket, String... protocols) throws IOException {
        socket.setSoTimeout(10_000);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        socket.startHandshake();
        return socket;
    }

    public static X509Certificate peerCertificate(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private static SSLSocketFactory factory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

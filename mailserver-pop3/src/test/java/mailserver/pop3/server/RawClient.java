package mailserver.pop3.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A blocking line client for exact-response tests, over plain TCP, implicit TLS or STLS. Trusts any certificate. */
final class RawClient implements AutoCloseable {

    private Socket socket;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
    }

    static RawClient plain(int port) throws IOException {
        return new RawClient(new Socket("127.0.0.1", port));
    }

    static RawClient tls(int port) throws IOException {
        SSLSocket socket = (SSLSocket) trustAll().createSocket("127.0.0.1", port);
        socket.startHandshake();
        return new RawClient(socket);
    }

    void startTls() throws IOException {
        SSLSocket upgraded = (SSLSocket) trustAll().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        upgraded.startHandshake();
        socket = upgraded;
        socket.setSoTimeout(20_000);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Sends one command line and returns the first reply line. */
    String command(String line) throws IOException {
        send(line + "\r\n");
        return readLine();
    }

    /** The next line without CRLF, or null at the end of the stream. */
    String readLine() throws IOException {
        byte[] raw = readRawLine();
        if (raw == null) {
            return null;
        }
        String line = new String(raw, StandardCharsets.UTF_8);
        return line.endsWith("\r\n") ? line.substring(0, line.length() - 2) : line;
    }

    /** The next line with its line ending, as bytes. */
    byte[] readRawLine() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    /** The lines of a multi-line body up to (not including) the terminating dot, still dot-stuffed. */
    List<String> readMultiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = readLine(); !".".equals(line); line = readLine()) {
            if (line == null) {
                throw new IOException("connection closed inside a multi-line response");
            }
            lines.add(line);
        }
        return lines;
    }

    /** The raw bytes of a multi-line body including the final {@code .CRLF}. */
    byte[] readMultiLineBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line = readRawLine(); ; line = readRawLine()) {
            if (line == null) {
                throw new IOException("connection closed inside a multi-line response");
            }
            out.writeBytes(line);
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                return out.toByteArray();
            }
        }
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static SSLSocketFactory trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, new SecureRandom());
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package mailserver.core.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;

import mailserver.core.tls.TestTlsClient;

/** A blocking test client that reads lines with their line endings, over plain TCP or TLS. */
final class LineClient implements AutoCloseable {

    private Socket socket;

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
    }

    static LineClient plain(int port) throws IOException {
        return new LineClient(new Socket("127.0.0.1", port));
    }

    static LineClient tls(int port) throws IOException {
        return new LineClient(TestTlsClient.connect(port));
    }

    void startTls() throws IOException {
        socket = TestTlsClient.upgrade(socket);
    }

    SSLSocket sslSocket() {
        return (SSLSocket) socket;
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** The next line with its ending, or null at the end of the stream. */
    String readLine() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

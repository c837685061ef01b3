package mailserver.dist;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A line-by-line client over implicit TLS that trusts the test server's self-signed
 * certificate, for checking bytes exactly as a protocol sends them.
 */
final class TlsLineClient implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    TlsLineClient(int port) throws Exception {
        this((SSLSocket) trustingContext().getSocketFactory().createSocket("127.0.0.1", port));
    }

    private TlsLineClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** An SMTP connection after greeting, {@code EHLO ehlo} and STARTTLS; EHLO must be sent again. */
    static TlsLineClient smtpStartTls(int port, String ehlo) throws Exception {
        Socket plain = new Socket("127.0.0.1", port);
        plain.setSoTimeout(30_000);
        BufferedReader reader = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
        Writer writer = new OutputStreamWriter(plain.getOutputStream(), StandardCharsets.US_ASCII);
        expect(reader, "220 ");
        writer.write("EHLO " + ehlo + "\r\n");
        writer.flush();
        expect(reader, "250 ");
        writer.write("STARTTLS\r\n");
        writer.flush();
        expect(reader, "220 ");
        SSLSocket tls = (SSLSocket) trustingContext().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        tls.startHandshake();
        return new TlsLineClient(tls);
    }

    private static void expect(BufferedReader reader, String prefix) throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                throw new IOException("connection closed while waiting for " + prefix);
            }
        } while (!line.startsWith(prefix) && line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(prefix)) {
            throw new IOException("expected " + prefix + "but got " + line);
        }
    }

    private static SSLContext trustingContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        return context;
    }

    /** One line without its CRLF. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new IOException("connection closed; partial line: " + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Reads lines until one that starts with {@code prefix}, and returns it. */
    String readUntil(String prefix) throws IOException {
        while (true) {
            String line = readLine();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    void send(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** {@code count} bytes exactly. */
    byte[] readBytes(int count) throws IOException {
        return in.readNBytes(count);
    }

    /** A POP3 multi-line body up to the terminating dot, with the byte-stuffing undone. */
    byte[] readDotTerminated() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            byte[] bytes = line.toByteArray();
            if (b == -1 || bytes.length == 3 && bytes[0] == '.') {
                return body.toByteArray();
            }
            int skip = bytes.length > 0 && bytes[0] == '.' ? 1 : 0;
            body.write(bytes, skip, bytes.length - skip);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
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

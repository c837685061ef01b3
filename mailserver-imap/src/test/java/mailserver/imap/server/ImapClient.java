package mailserver.imap.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare-socket IMAP client for checking exact responses: sends a line, reads lines (with the
 * literals they announce, kept inline) until the tagged response.
 */
final class ImapClient implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\}$");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tagCounter;

    ImapClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    String greeting() throws IOException {
        return line();
    }

    /** Sends {@code tag command} with a fresh tag and returns every response up to the tagged one (last). */
    List<String> command(String command) throws IOException {
        String tag = "t" + (++tagCounter);
        send(tag + " " + command);
        return until(tag);
    }

    /** Logs alice in and drains the response. */
    ImapClient loginAlice() throws IOException {
        return login("alice@example.test", "secret");
    }

    ImapClient login(String user, String password) throws IOException {
        greeting();
        send("login LOGIN " + user + " " + password);
        List<String> r = until("login");
        if (!last(r).contains(" OK ")) {
            throw new IOException("login failed: " + r);
        }
        return this;
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            lines.add(line);
            if (line.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** One response line, with any literal it announces appended (so one FETCH is one string). */
    String line() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String part = rawLine();
            text.append(part);
            Matcher m = LITERAL.matcher(part);
            if (!m.find()) {
                return text.toString();
            }
            byte[] literal = in.readNBytes(Integer.parseInt(m.group(1)));
            text.append("\r\n").append(new String(literal, StandardCharsets.UTF_8));
        }
    }

    private String rawLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            bytes.write(b);
        }
        if (b == -1 && bytes.size() == 0) {
            throw new IOException("connection closed");
        }
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

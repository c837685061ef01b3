package mailserver.imap.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One cleartext IMAP connection for the benchmarks: sends a tagged command, reads untagged lines
 * (with their literals) up to the tagged reply, and fails on anything but OK. Only as much IMAP as
 * the load mix needs; the tests of the real client side live with the server.
 */
final class ImapClient implements Closeable {

    /** A response line longer than this (FETCH 1:* on a big folder is long) is a broken server. */
    private static final int MAX_LINE = 16 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int nextTag;

    /** The untagged lines of the last command (literals inlined) and its tagged reply. */
    record Reply(List<String> untagged, String tagged) {
    }

    private ImapClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects, reads the greeting and logs in. */
    static ImapClient login(String host, int port, String user, String password) throws IOException {
        Socket socket = new Socket(host, port);
        ImapClient client = new ImapClient(socket);
        try {
            socket.setTcpNoDelay(true);
            String greeting = client.line();
            if (!greeting.startsWith("* OK")) {
                throw new IOException("greeting: " + greeting);
            }
            client.command("LOGIN " + quoted(user) + " " + quoted(password));
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Reply command(String command) throws IOException {
        String tag = tag();
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply(tag, command);
    }

    /** APPEND with a synchronizing literal, which every server accepts. */
    Reply append(String mailbox, byte[] message) throws IOException {
        String tag = tag();
        out.write((tag + " APPEND " + mailbox + " {" + message.length + "}\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String go = line();
        if (!go.startsWith("+")) {
            throw new IOException("APPEND: expected continuation, got " + go);
        }
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(tag, "APPEND");
    }

    /** Sends IDLE and waits for the server's continuation; the connection then stays idle. */
    void idle() throws IOException {
        String tag = tag();
        out.write((tag + " IDLE\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String go = line();
        if (!go.startsWith("+")) {
            throw new IOException("IDLE: expected continuation, got " + go);
        }
    }

    private String tag() {
        return "a" + nextTag++;
    }

    private Reply reply(String tag, String command) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String line = line();
            if (line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    throw new IOException(command + ": " + line);
                }
                return new Reply(untagged, line);
            }
            untagged.add(line);
        }
    }

    /** One response line without CRLF; a literal {n} at its end is read and inlined. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\n') {
                line.write(b);
                if (line.size() > MAX_LINE) {
                    throw new IOException("response line over " + MAX_LINE + " bytes");
                }
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            int size = literalSize(text);
            if (size < 0) {
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write('\n');
            line.write(in.readNBytes(size));
        }
    }

    private static int literalSize(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (!text.endsWith("}")) {
            return -1;
        }
        int open = text.lastIndexOf('{');
        if (open < 0) {
            return -1;
        }
        try {
            int size = Integer.parseInt(text.substring(open + 1, text.length() - 1).replace("+", ""));
            return size <= MAX_LINE ? size : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

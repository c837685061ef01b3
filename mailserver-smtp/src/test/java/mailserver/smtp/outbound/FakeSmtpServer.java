package mailserver.smtp.outbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted SMTP server for client tests: listens on one loopback address, answers every
 * command with the reply the test set for it (or a plain 250), and records what it received,
 * the message bytes exactly as they came over the wire (still dot-stuffed). One thread per
 * connection; blocking I/O is fine in a fixture.
 *
 * <p>With {@link #holdRepliesUntilData} it answers MAIL and RCPT only once DATA has arrived,
 * so a client that does not pipeline waits forever (and times out).
 */
final class FakeSmtpServer implements AutoCloseable {

    /** What one connection received. */
    static final class Session {
        final List<String> commands = new CopyOnWriteArrayList<>();
        final List<byte[]> messages = new CopyOnWriteArrayList<>();
        volatile String authenticated;
    }

    volatile String greeting = "220 fake.test ESMTP";
    volatile List<String> extensions = List.of("PIPELINING", "SIZE 10240000", "8BITMIME", "SMTPUTF8", "DSN",
            "ENHANCEDSTATUSCODES");
    volatile boolean holdRepliesUntilData;
    volatile String username;
    volatile String password;
    /** Command prefix (upper case, e.g. "RCPT TO:<B@") to the reply line(s); "" means no reply at all. */
    final Map<String, String> replies = new ConcurrentHashMap<>();
    final List<Session> sessions = new CopyOnWriteArrayList<>();

    private final ServerSocket socket;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FakeSmtpServer(ServerSocket socket) {
        this.socket = socket;
        this.acceptor = new Thread(this::accept, "fake-smtp-" + socket.getLocalSocketAddress());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** On {@code address} (e.g. 127.0.0.2), port 0 for any free one. */
    static FakeSmtpServer start(String address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        return new FakeSmtpServer(socket);
    }

    int port() {
        return socket.getLocalPort();
    }

    String address() {
        return socket.getInetAddress().getHostAddress();
    }

    /** All commands of all sessions, in order. */
    List<String> commands() {
        List<String> all = new ArrayList<>();
        sessions.forEach(s -> all.addAll(s.commands));
        return all;
    }

    List<byte[]> messages() {
        List<byte[]> all = new ArrayList<>();
        sessions.forEach(s -> all.addAll(s.messages));
        return all;
    }

    /** Closes every open connection, as a restarting server does, and keeps listening. */
    void dropConnections() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Thread thread = new Thread(() -> serve(client), "fake-smtp-session");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Session session = new Session();
        sessions.add(session);
        try (client; InputStream in = new BufferedInputStream(client.getInputStream());
             OutputStream out = client.getOutputStream()) {
            if (!reply(out, greeting)) {
                while (line(in) != null) {
                    // Silent until the client gives up.
                }
                return;
            }
            if (!greeting.startsWith("220")) {
                line(in);
                return;
            }
            List<String> held = new ArrayList<>();
            String command;
            while ((command = line(in)) != null) {
                session.commands.add(command);
                String upper = command.toUpperCase(Locale.ROOT);
                String verb = upper.split(" ", 2)[0];
                String reply = scripted(upper);
                if (reply == null) {
                    reply = standard(verb, in, out, session, command);
                }
                if (holdRepliesUntilData && (verb.equals("MAIL") || verb.equals("RCPT"))) {
                    held.add(reply);
                    continue;
                }
                for (String earlier : held) {
                    reply(out, earlier);
                }
                held.clear();
                if (!reply(out, reply)) {
                    // A hung server: it reads on but never answers again.
                    while (line(in) != null) {
                        // Silent until the client gives up.
                    }
                    return;
                }
                if (verb.equals("DATA") && reply.startsWith("354")) {
                    byte[] message = data(in);
                    if (message == null) {
                        return;
                    }
                    session.messages.add(message);
                    String end = scripted(".");
                    if (!reply(out, end == null ? "250 2.0.0 Ok: queued as FAKE" + session.messages.size() : end)) {
                        while (line(in) != null) {
                            // Silent until the client gives up.
                        }
                        return;
                    }
                }
                if (verb.equals("QUIT") || reply.startsWith("421")) {
                    return;
                }
            }
        } catch (SocketException e) {
            // The client went away.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String scripted(String upperCommand) {
        String best = null;
        for (Map.Entry<String, String> entry : replies.entrySet()) {
            if (upperCommand.startsWith(entry.getKey()) && (best == null || entry.getKey().length() > best.length())) {
                best = entry.getKey();
            }
        }
        return best == null ? null : replies.get(best);
    }

    private String standard(String verb, InputStream in, OutputStream out, Session session, String command)
            throws IOException {
        switch (verb) {
            case "EHLO": {
                StringBuilder reply = new StringBuilder("250");
                reply.append(extensions.isEmpty() ? " " : "-").append("fake.test");
                for (int i = 0; i < extensions.size(); i++) {
                    reply.append("\r\n250").append(i == extensions.size() - 1 ? " " : "-").append(extensions.get(i));
                }
                return reply.toString();
            }
            case "DATA":
                return "354 End data with <CR><LF>.<CR><LF>";
            case "QUIT":
                return "221 2.0.0 Bye";
            case "AUTH":
                return auth(command, in, out, session);
            default:
                return "250 2.0.0 Ok";
        }
    }

    private String auth(String command, InputStream in, OutputStream out, Session session) throws IOException {
        String[] words = command.split(" ");
        String user;
        String pass;
        if (words[1].equalsIgnoreCase("PLAIN")) {
            String[] parts = new String(Base64.getDecoder().decode(words[2]), StandardCharsets.UTF_8).split("\0", -1);
            user = parts[1];
            pass = parts[2];
        } else {
            reply(out, "334 VXNlcm5hbWU6");
            user = new String(Base64.getDecoder().decode(line(in)), StandardCharsets.UTF_8);
            reply(out, "334 UGFzc3dvcmQ6");
            pass = new String(Base64.getDecoder().decode(line(in)), StandardCharsets.UTF_8);
        }
        if (user.equals(username) && pass.equals(password)) {
            session.authenticated = user;
            return "235 2.7.0 Authentication successful";
        }
        return "535 5.7.8 Error: authentication failed";
    }

    /** Up to the line with the single dot, as received (dot-stuffing included), without that line; null if the client left. */
    private static byte[] data(InputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                    return message.toByteArray();
                }
                message.write(bytes);
                line.reset();
            }
        }
        return null;
    }

    /** False when the script says not to answer. */
    private static boolean reply(OutputStream out, String reply) throws IOException {
        if (reply.isEmpty()) {
            return false;
        }
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return true;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }
}

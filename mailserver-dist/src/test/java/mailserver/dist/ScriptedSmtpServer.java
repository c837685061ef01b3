package mailserver.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain SMTP server on one loopback address that answers the first {@code greylist} RCPT
 * commands with {@code 451 4.7.1} and accepts after that, as a greylisting server does. Keeps
 * the messages it accepted.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger refusalsLeft;
    final AtomicInteger rcptCommands = new AtomicInteger();
    final List<String> messages = new CopyOnWriteArrayList<>();

    ScriptedSmtpServer(String address, int port, int greylist) throws IOException {
        socket = new ServerSocket(port, 50, InetAddress.getByName(address));
        refusalsLeft = new AtomicInteger(greylist);
        Thread acceptor = new Thread(this::acceptLoop, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "scripted-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
            reply(out, "220 greylist.test ESMTP");
            String line;
            int accepted = 0;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-greylist.test\r\n250-8BITMIME\r\n250 PIPELINING");
                    case "HELO", "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "MAIL", "RSET" -> {
                        accepted = 0;
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "RCPT" -> {
                        rcptCommands.incrementAndGet();
                        boolean refuse = refusalsLeft.getAndDecrement() > 0;
                        accepted += refuse ? 0 : 1;
                        reply(out, refuse ? "451 4.7.1 Greylisted, try again later" : "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        if (accepted == 0) {
                            reply(out, "554 5.5.1 Error: no valid recipients");
                            continue;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        StringBuilder message = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            message.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
                        }
                        messages.add(message.toString());
                        reply(out, "250 2.0.0 Ok: queued as GREY" + messages.size());
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package mailserver.smtp.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link RealServer} as a process of its own, for {@link CrashTest} and the load benchmark
 * ({@code mailserver.smtp.bench.SmtpLoad}): the SMTP listeners over a fresh directory and
 * Maildir in {@code args[0]}, until it is killed. Writes the port of the smtp listener to
 * {@code args[0]/port} once it accepts connections.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        RealServer server = new RealServer(dir, true);
        Path tmp = dir.resolve("port.tmp");
        Files.writeString(tmp, String.valueOf(server.port("smtp")));
        Files.move(tmp, dir.resolve("port"));
        Thread.currentThread().join();
    }
}

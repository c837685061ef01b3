package mailserver.dist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A configuration file for a server on loopback, every listener on a port that was free. */
final class TestConfig {

    static final String[] LISTENERS = {"smtp", "submission", "submissions", "imap", "imaps", "pop3", "pop3s"};

    private TestConfig() {
    }

    /** Writes {@code folder/mailserver.yml} with data in {@code folder/data}; {@code ports} in {@link #LISTENERS} order. */
    static Path write(Path folder, int[] ports) throws IOException {
        StringBuilder yaml = new StringBuilder("server:\n  hostname: mail.example.test\n  data-dir: ./data\n"
                + "  shutdown-grace: 2s\nlisteners:\n");
        for (int i = 0; i < LISTENERS.length; i++) {
            yaml.append("  ").append(LISTENERS[i]).append(": { address: 127.0.0.1, port: ").append(ports[i]).append(" }\n");
        }
        Path file = folder.resolve("mailserver.yml");
        Files.writeString(file, yaml);
        return file;
    }

    /** One free port per listener, all held open together while chosen so none repeats. */
    static int[] freePorts() throws IOException {
        int[] ports = new int[LISTENERS.length];
        ServerSocket[] sockets = new ServerSocket[LISTENERS.length];
        try {
            for (int i = 0; i < ports.length; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }
}

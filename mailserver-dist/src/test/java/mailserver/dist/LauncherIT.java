package mailserver.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution as an admin runs it: bin/mailserver from target/mailserver/,
 * a YAML file, SIGTERM to stop. Runs after {@code package} (failsafe), on free ports.
 */
class LauncherIT {

    private static final Path LAUNCHER =
            Path.of(System.getProperty("mailserver.installation", "target/mailserver"), "bin", "mailserver").toAbsolutePath();

    @TempDir
    Path folder;

    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void runsUntilSigtermThenExitsZero() throws Exception {
        int[] ports = TestConfig.freePorts();
        Path config = TestConfig.write(folder, ports);
        BlockingQueue<String> output = start("run", "--config", config.toString());

        for (int i = 0; i < TestConfig.LISTENERS.length; i++) {
            awaitLine(output, "listening on 127.0.0.1:" + ports[i] + " (" + TestConfig.LISTENERS[i]);
        }
        try (Socket client = new Socket("127.0.0.1", ports[0])) {
            assertThat(client.isConnected()).isTrue();
        }
        assertThat(Files.exists(folder.resolve("data/tls/fullchain.pem"))).as("self-signed certificate").isTrue();
        assertThat(adminCommand("domain", "add", "while-running.test", "--config", config.toString()))
                .as("the embedded directory is usable by admin commands while the server runs")
                .contains("added domain while-running.test");

        // Process.destroy() would also close our end of its output, losing the last lines.
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        awaitLine(output, "mailserver stopped");
    }

    @Test
    void portInUseIsOneClearLineAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int[] ports = TestConfig.freePorts();
            ports[2] = taken.getLocalPort();
            BlockingQueue<String> output = start("run", "--config", TestConfig.write(folder, ports).toString());

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            awaitLine(output, "mailserver: cannot listen on 127.0.0.1:" + ports[2]
                    + " (listeners.submissions): port " + ports[2] + " is already in use");
        }
    }

    @Test
    void adminCommandsWorkThroughTheLauncher() throws Exception {
        String config = TestConfig.write(folder, TestConfig.freePorts()).toString();
        assertThat(adminCommand("domain", "add", "example.test", "--config", config)).contains("added domain example.test");
        assertThat(adminCommand("domain", "list", "--config", config)).contains("example.test");
    }

    /** Runs a second launcher to the end and returns what it printed. */
    private static String adminCommand(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Process admin = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(admin.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(admin.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(admin.exitValue()).as(output).isZero();
        return output;
    }

    /** Starts the launcher; its stdout and stderr lines arrive in the returned queue. */
    private BlockingQueue<String> start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("(output closed: " + e.getMessage() + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void awaitLine(BlockingQueue<String> output, String expected) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        while (true) {
            String line = output.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no line containing \"" + expected + "\"; output was:\n" + seen);
            }
            seen.append(line).append('\n');
            if (line.contains(expected)) {
                return;
            }
        }
    }

}

package mailserver.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients admins and scripts really use, as subprocesses against the server over the real
 * directory and Maildir: Python's smtplib (src/test/python/smtplib_client.py) and swaks. They
 * skip when the tool is missing, except under CI=true, where a missing tool is a failure.
 * Debian packages: python3, swaks, libnet-ssleay-perl (swaks' TLS).
 */
class ExternalClientsTest {

    private static final Path PYTHON_SCRIPT = Path.of("src/test/python/smtplib_client.py");

    @TempDir
    static Path dir;
    static RealServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RealServer(dir, true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pythonSmtplib() throws Exception {
        requireTool(List.of("python3", "--version"), "python3", "python3");
        int carol = server.inbox("carol@example.org").size();
        Result r = run(List.of("python3", PYTHON_SCRIPT.toString(), port("smtp"), port("submission"), port("submissions"),
                RealServer.PASSWORD));
        assertThat(r.output()).contains("OK starttls_587_auth", "OK ssl_465_auth_login", "OK smtputf8_25",
                "OK wrong_password_535", "OK unknown_user_550_relay_554", "OK submission_requires_auth_530");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(server.inbox("carol@example.org")).hasSize(carol + 2);
        List<Path> jurgen = server.inbox("jürgen@example.org");
        assertThat(jurgen).hasSize(1);
        assertThat(Files.readString(jurgen.get(0), StandardCharsets.UTF_8))
                .startsWith("Return-Path: <müller@remote.example>\r\nDelivered-To: jürgen@example.org\r\n")
                .contains("with UTF8SMTP", "Ärger über Öl");
    }

    @Test
    void swaksPipeliningStartTlsImplicitTlsAndAuth() throws Exception {
        requireTool(List.of("swaks", "--version"), "swaks", "swaks");
        Result support = run(List.of("swaks", "--support"));
        boolean tls = support.output().contains("=== TLS supported");
        assumeTrue(tls || "true".equals(System.getenv("CI")), "swaks without TLS (apt-get install libnet-ssleay-perl)");
        assertThat(tls).as("swaks needs Net::SSLeay under CI=true: apt-get install libnet-ssleay-perl").isTrue();
        int bob = server.inbox("bob@example.org").size();
        int alice = server.inbox("alice@example.org").size();

        Result pipelined = swaks("smtp", "--pipeline", "--from", "a@remote.example", "--to", "bob@example.org",
                "--header", "Subject: swaks pipelined");
        assertThat(pipelined.exitCode()).as(pipelined.output()).isZero();
        assertThat(pipelined.output()).contains("250-PIPELINING", "250 2.0.0 Ok: queued as ");

        Result startTls25 = swaks("smtp", "--tls", "--from", "a@remote.example", "--to", "alice@example.org");
        assertThat(startTls25.exitCode()).as(startTls25.output()).isZero();
        assertThat(startTls25.output()).contains("220 2.0.0 Ready to start TLS");

        long queued = queueEntries();
        Result submission = swaks("submission", "--tls", "--auth", "PLAIN", "--auth-user", "alice@example.org",
                "--auth-password", RealServer.PASSWORD, "--from", "alice@example.org", "--to", "friend@elsewhere.example");
        assertThat(submission.exitCode()).as(submission.output()).isZero();
        assertThat(submission.output()).contains("235 2.7.0 Authentication successful");
        assertThat(queueEntries()).isEqualTo(queued + 1);

        Result implicit = swaks("submissions", "--tls-on-connect", "--auth", "LOGIN", "--auth-user", "bob@example.org",
                "--auth-password", RealServer.PASSWORD, "--from", "sales@example.org", "--to", "bob@example.org");
        assertThat(implicit.exitCode()).as(implicit.output()).isZero();

        Result wrong = swaks("submissions", "--tls-on-connect", "--auth", "PLAIN", "--auth-user", "bob@example.org",
                "--auth-password", "wrong", "--from", "bob@example.org", "--to", "bob@example.org");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).contains("535 5.7.8 Authentication credentials invalid");

        Result relay = swaks("smtp", "--from", "a@remote.example", "--to", "x@elsewhere.example");
        assertThat(relay.exitCode()).isNotZero();
        assertThat(relay.output()).contains("554 5.7.1 Relay access denied");

        assertThat(server.inbox("bob@example.org")).hasSize(bob + 2);
        assertThat(server.inbox("alice@example.org")).hasSize(alice + 1);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result swaks(String listener, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", port(listener),
                "--helo", "swaks.example", "--timeout", "20"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String port(String listener) {
        return String.valueOf(server.port(listener));
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish: " + output);
        }
        return new Result(p.exitValue(), output);
    }

    /** Skips without the tool, but under CI=true its absence is a failure: .ci/run must install it. */
    private static void requireTool(List<String> probe, String tool, String debianPackage) {
        boolean available;
        try {
            available = run(probe).exitCode() == 0;
        } catch (Exception e) {
            available = false;
        }
        assumeTrue(available || "true".equals(System.getenv("CI")), tool + " not installed (apt-get install " + debianPackage + ")");
        assertThat(available).as(tool + " is required under CI=true: apt-get install " + debianPackage).isTrue();
    }

    private static long queueEntries() throws IOException {
        try (Stream<Path> files = Files.list(server.queueDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }
}

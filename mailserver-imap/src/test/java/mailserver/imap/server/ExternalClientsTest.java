package mailserver.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's imaplib and curl, run as processes against the server. Each skips when its tool is
 * missing, except in CI (CI=true), where a missing tool is a failure.
 */
class ExternalClientsTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void requireTool(String name, String... probe) {
        boolean present = available(probe);
        assumeTrue(present || "true".equals(System.getenv("CI")), name + " is not installed; skipping (CI=true makes this a failure)");
        assertThat(present).as(name + " must be installed in CI").isTrue();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    @Test
    void pythonImaplib() throws Exception {
        requireTool("python3", "python3", "-c", "import imaplib, ssl");
        Path script = dir.resolve("imaplib_client.py");
        try (var in = ExternalClientsTest.class.getResourceAsStream("imaplib_client.py")) {
            Files.copy(in, script);
        }
        Result result = run(List.of("python3", script.toString(), String.valueOf(server.port("imap-strict")),
                String.valueOf(server.port("imaps"))));
        assertThat(result.output()).contains("imaplib: all checks passed");
        assertThat(result.exit()).isZero();
    }

    @Test
    void curlListsFetchesAndSearches() throws Exception {
        requireTool("curl", "curl", "--version");
        server.alice().deliver("INBOX", new ByteArrayInputStream(
                "Subject: for curl\r\nFrom: dave@example.test\r\n\r\nfetched by curl\r\n".getBytes(StandardCharsets.US_ASCII)));
        String base = "imaps://127.0.0.1:" + server.port("imaps") + "/";
        List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--insecure", "-u", "alice@example.test:secret"));

        List<String> list = new ArrayList<>(curl);
        list.add(base);
        Result listed = run(list);
        assertThat(listed.exit()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("* LIST (\\HasNoChildren) \".\" INBOX", "\\Sent) \".\" Sent");

        List<String> search = new ArrayList<>(curl);
        search.addAll(List.of("-X", "UID SEARCH SUBJECT \"for curl\"", base + "INBOX"));
        Result found = run(search);
        assertThat(found.exit()).as(found.output()).isZero();
        String uid = found.output().trim().replaceAll("(?s).*\\* SEARCH (\\d+).*", "$1");
        assertThat(uid).matches("\\d+");

        List<String> fetch = new ArrayList<>(curl);
        fetch.add(base + "INBOX;UID=" + uid);
        Result fetched = run(fetch);
        assertThat(fetched.exit()).as(fetched.output()).isZero();
        assertThat(fetched.output()).contains("Subject: for curl", "fetched by curl");

        List<String> strict = new ArrayList<>(List.of("curl", "-sS", "-u", "alice@example.test:secret", "--ssl-reqd", "--insecure",
                "imap://127.0.0.1:" + server.port("imap-strict") + "/INBOX;UID=" + uid + ";SECTION=HEADER.FIELDS%20(SUBJECT)"));
        Result header = run(strict);
        assertThat(header.exit()).as(header.output()).isZero();
        assertThat(header.output()).contains("Subject: for curl");
    }
}

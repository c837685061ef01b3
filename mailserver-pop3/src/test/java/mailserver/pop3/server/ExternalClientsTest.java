package mailserver.pop3.server;

import static mailserver.pop3.server.Pop3TestServer.ALICE;
import static mailserver.pop3.server.Pop3TestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's poplib, curl and fetchmail, run as subprocesses against the real listeners. */
class ExternalClientsTest {

    static final String FIRST = "From: carol@example.test\r\nSubject: first\r\n\r\nHello Alice\r\n.leading dot\r\n..two\r\n";
    static final String SECOND = "From: dave@example.test\r\nSubject: second\r\n\r\nSecond message\r\n";

    @TempDir
    Path work;
    Pop3TestServer server;
    long uidValidity;
    long uid1;
    long uid2;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(work);
        uid1 = server.deliver(ALICE, FIRST);
        uid2 = server.deliver(ALICE, SECOND);
        uidValidity = server.inbox(ALICE).sync().uidValidity();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String uidl(long uid) {
        return String.format(Locale.ROOT, "%08x%08x", uid, uidValidity);
    }

    List<Long> uidsLeft() throws IOException {
        return server.inbox(ALICE).sync().messages().stream().map(m -> m.uid()).toList();
    }

    // ---- Python poplib ----

    @Test
    void pythonPoplibOverImplicitTls() throws Exception {
        Map<String, String> seen = poplib("tls", server.tlsPort());

        assertThat(seen.get("welcome")).isEqualTo("+OK pop.example.test POP3 ready.");
        assertThat(seen.get("capa")).isEqualTo("AUTH-RESP-CODE PIPELINING RESP-CODES SASL TOP UIDL USER");
        assertThat(seen.get("pass")).isEqualTo("+OK Logged in.");
        assertThat(seen.get("stat")).isEqualTo("2 " + (FIRST.length() + SECOND.length()));
        assertThat(seen.get("list")).isEqualTo("1 " + FIRST.length() + " | 2 " + SECOND.length());
        assertThat(seen.get("uidl")).isEqualTo("1 " + uidl(uid1) + " | 2 " + uidl(uid2));
        assertThat(seen.get("retr")).isEqualTo("+OK " + FIRST.length() + " octets");
        assertThat(new String(Base64.getDecoder().decode(seen.get("retr-bytes")), StandardCharsets.US_ASCII)).isEqualTo(FIRST);
        assertThat(seen.get("top")).isEqualTo("From: carol@example.test | Subject: first | ");
        assertThat(seen.get("dele")).isEqualTo("+OK Marked to be deleted.");
        assertThat(seen.get("quit")).isEqualTo("+OK Logging out, messages deleted.");
        assertThat(uidsLeft()).containsExactly(uid2);
    }

    @Test
    void pythonPoplibWithStls() throws Exception {
        Map<String, String> seen = poplib("stls", server.plainPort());

        assertThat(seen.get("stls")).isEqualTo("+OK Begin TLS negotiation now.");
        assertThat(seen.get("uidl")).isEqualTo("1 " + uidl(uid1) + " | 2 " + uidl(uid2));
        assertThat(uidsLeft()).containsExactly(uid2);
    }

    private Map<String, String> poplib(String mode, int port) throws Exception {
        Path python = ExternalTool.require("python3", "/usr/bin/python3");
        Path script = work.resolve("poplib_client.py");
        try (InputStream in = getClass().getResourceAsStream("poplib_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        ExternalTool.Run run = ExternalTool.run(
                List.of(python.toString(), script.toString(), "127.0.0.1", String.valueOf(port), mode, ALICE, PASSWORD),
                Map.of(), new byte[0]);
        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : run.output().split("\n")) {
            int eq = line.indexOf('=');
            seen.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return seen;
    }

    // ---- curl ----

    @Test
    void curlListsRetrievesAndShowsUidlsOverImplicitTls() throws Exception {
        String base = "pop3s://127.0.0.1:" + server.tlsPort() + "/";

        assertThat(curl(base).output()).isEqualTo("1 " + FIRST.length() + "\r\n2 " + SECOND.length() + "\r\n");
        assertThat(curl(base + "1").output()).as("dot-unstuffed by curl, byte for byte").isEqualTo(FIRST);
        assertThat(curl(base, "-X", "UIDL").output()).isEqualTo("1 " + uidl(uid1) + "\r\n2 " + uidl(uid2) + "\r\n");
    }

    @Test
    void curlWithStlsAndEachSaslMechanism() throws Exception {
        String base = "pop3://127.0.0.1:" + server.plainPort() + "/";

        assertThat(curl(base + "2", "--ssl-reqd").output()).isEqualTo(SECOND);
        assertThat(curl(base + "2", "--ssl-reqd", "--login-options", "AUTH=PLAIN").output()).isEqualTo(SECOND);
        assertThat(curl(base + "2", "--ssl-reqd", "--login-options", "AUTH=PLAIN", "--sasl-ir").output()).isEqualTo(SECOND);
        assertThat(curl(base + "2", "--ssl-reqd", "--login-options", "AUTH=LOGIN").output()).isEqualTo(SECOND);
    }

    @Test
    void curlDeletesAndIsDeniedWithAWrongPassword() throws Exception {
        String base = "pop3s://127.0.0.1:" + server.tlsPort() + "/";

        assertThat(curl(base + "1", "-X", "DELE", "-I").exitCode()).isZero();
        assertThat(uidsLeft()).containsExactly(uid2);

        ExternalTool.Run denied = run(curlCommand(base, ALICE + ":wrong"));
        assertThat(denied.exitCode()).as("CURLE_LOGIN_DENIED").isEqualTo(67);
    }

    private ExternalTool.Run curl(String url, String... options) throws Exception {
        List<String> command = curlCommand(url, ALICE + ":" + PASSWORD);
        command.addAll(List.of(options));
        ExternalTool.Run run = run(command);
        assertThat(run.exitCode()).as(run.errors()).isZero();
        return run;
    }

    private static List<String> curlCommand(String url, String credentials) {
        Path curl = ExternalTool.require("curl", "/usr/bin/curl");
        return new ArrayList<>(List.of(curl.toString(), "--silent", "--show-error", "--insecure", "--max-time", "30",
                "--user", credentials, url));
    }

    private static ExternalTool.Run run(List<String> command) throws Exception {
        return ExternalTool.run(command, Map.of(), new byte[0]);
    }

    // ---- fetchmail ----

    @Test
    void fetchmailFetchesAndDeletesOverImplicitTls() throws Exception {
        Path out = work.resolve("fetched");

        ExternalTool.Run run = fetchmail("ssl", "", "fetchall", out);

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        String fetched = Files.readString(out);
        assertThat(fetched).contains(FIRST.replace("\r\n", "\n"), SECOND.replace("\r\n", "\n"));
        assertThat(uidsLeft()).isEmpty();
    }

    @Test
    void fetchmailWithStlsKeepsMessagesAndUsesUidlsToFetchEachOnce() throws Exception {
        Path out = work.resolve("fetched");

        ExternalTool.Run first = fetchmail("sslproto 'tls1.2+'", "uidl", "keep", out);
        ExternalTool.Run second = fetchmail("sslproto 'tls1.2+'", "uidl", "keep", out);

        assertThat(first.exitCode()).as(first.output() + first.errors()).isZero();
        assertThat(second.exitCode()).as("1 = no new mail: " + second.output() + second.errors()).isEqualTo(1);
        assertThat(Files.readString(out).split("Subject: ", -1)).hasSize(3);
        assertThat(uidsLeft()).containsExactly(uid1, uid2);
        assertThat(Files.readString(work.resolve("fetchids"))).contains(uidl(uid1), uidl(uid2));
    }

    /** Runs fetchmail once on alice's mailbox, delivering to {@code out} through an MDA. */
    private ExternalTool.Run fetchmail(String tls, String serverOptions, String userOptions, Path out) throws Exception {
        Path fetchmail = ExternalTool.require("fetchmail", "/usr/bin/fetchmail");
        int port = tls.equals("ssl") ? server.tlsPort() : server.plainPort();
        Path rc = work.resolve("fetchmailrc");
        Files.writeString(rc, """
                set no syslog
                set invisible
                poll 127.0.0.1 service %d protocol pop3 %s auth password timeout 30
                  user "%s" there with password "%s" is "root" here
                  %s no sslcertck %s
                  mda "cat >> %s"
                """.formatted(port, serverOptions, ALICE, PASSWORD, tls, userOptions, out));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        return ExternalTool.run(List.of(fetchmail.toString(), "--fetchmailrc", rc.toString(),
                        "--idfile", work.resolve("fetchids").toString(), "--pidfile", work.resolve("fetchmail.pid").toString(),
                        "--nodetach", "--verbose"),
                Map.of("HOME", work.toString()), new byte[0]);
    }
}

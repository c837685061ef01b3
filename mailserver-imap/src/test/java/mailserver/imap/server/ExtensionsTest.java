package mailserver.imap.server;

import static mailserver.imap.server.ImapClient.last;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact responses of the extensions: CONDSTORE, QRESYNC, ESEARCH, SEARCHRES, BINARY, UIDPLUS, MULTIAPPEND, LIST-STATUS, STARTTLS. */
class ExtensionsTest {

    static final String PLAIN = "Subject: one\r\n\r\nfirst\r\n";
    static final String MULTIPART = "Subject: two\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n--b--\r\n";

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

    /** A fresh folder with the two messages above, appended with MULTIAPPEND. */
    private static String uidValidity(ImapClient c, String folder) throws Exception {
        c.command("CREATE " + folder);
        c.send("m APPEND " + folder + " {" + PLAIN.length() + "+}");
        c.sendRaw((PLAIN + " (\\Flagged) {" + MULTIPART.length() + "+}\r\n" + MULTIPART + "\r\n").getBytes(StandardCharsets.US_ASCII));
        String done = last(c.until("m"));
        assertThat(done).matches("m OK \\[APPENDUID \\d+ 1:2\\] APPEND completed");
        return done.split(" ")[3];
    }

    private static long modseqOf(String fetchLine) {
        return Long.parseLong(fetchLine.replaceAll(".*MODSEQ \\((\\d+)\\).*", "$1"));
    }

    @Test
    void condstoreAndQresync() throws Exception {
        try (ImapClient c = new ImapClient(server.port("imap")).loginAlice()) {
            String validity = uidValidity(c, "Cs");
            List<String> select = c.command("SELECT Cs (CONDSTORE)");
            assertThat(select).anyMatch(l -> l.matches("\\* OK \\[HIGHESTMODSEQ \\d+\\] Highest"));
            List<String> fetched = c.command("FETCH 1:* (UID FLAGS) (CHANGEDSINCE 1)");
            assertThat(fetched).hasSize(3);
            assertThat(fetched.get(0)).matches("\\* 1 FETCH \\(UID 1 FLAGS \\(\\) MODSEQ \\(\\d+\\)\\)");
            long first = modseqOf(fetched.get(0));
            assertThat(c.command("STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\\Seen)"))
                    .containsExactly("t4 OK [MODIFIED 1] Conditional STORE failed for some messages");
            List<String> stored = c.command("UID STORE 1 (UNCHANGEDSINCE " + first + ") +FLAGS (\\Seen)");
            assertThat(stored.get(0)).matches("\\* 1 FETCH \\(UID 1 FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)");
            long after = modseqOf(stored.get(0));
            assertThat(after).isGreaterThan(first);
            assertThat(c.command("SEARCH MODSEQ " + after)).containsExactly("* SEARCH 1 (MODSEQ " + after + ")",
                    "t6 OK SEARCH completed");
            c.command("UNSELECT");

            try (ImapClient other = new ImapClient(server.port("imap")).loginAlice()) {
                other.command("SELECT Cs");
                other.command("STORE 2 +FLAGS.SILENT (\\Deleted)");
                other.command("EXPUNGE");
            }
            assertThat(c.command("ENABLE QRESYNC")).containsExactly("* ENABLED QRESYNC", "t8 OK ENABLE completed");
            List<String> resync = c.command("SELECT Cs (QRESYNC (" + validity + " " + first + " 1:2))");
            assertThat(resync).contains("* VANISHED (EARLIER) 2");
            assertThat(resync).anyMatch(l -> l.equals("* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (" + after + "))"));
            assertThat(last(resync)).isEqualTo("t9 OK [READ-WRITE] SELECT completed");
            List<String> vanished = c.command("UID FETCH 1:5 (FLAGS) (CHANGEDSINCE " + after + " VANISHED)");
            assertThat(vanished).containsExactly("* VANISHED (EARLIER) 2", "t10 OK UID FETCH completed");
            assertThat(c.command("SELECT INBOX")).contains("* OK [CLOSED] Previous mailbox closed");
        }
    }

    @Test
    void esearchSaveBinaryUidExpungeClose() throws Exception {
        try (ImapClient c = new ImapClient(server.port("imap")).loginAlice()) {
            uidValidity(c, "Ext");
            c.command("SELECT Ext");
            assertThat(c.command("SEARCH RETURN (SAVE) FLAGGED")).containsExactly("t3 OK SEARCH completed, result saved");
            assertThat(c.command("FETCH $ (UID)")).containsExactly("* 2 FETCH (UID 2)", "t4 OK FETCH completed");
            assertThat(c.command("UID SEARCH RETURN () 1:*")).containsExactly("* ESEARCH (TAG \"t5\") UID ALL 1:2",
                    "t5 OK UID SEARCH completed");
            assertThat(c.command("FETCH 2 (BINARY.SIZE[2] BINARY.PEEK[2])")).containsExactly(
                    "* 2 FETCH (BINARY.SIZE[2] 4 BINARY[2] ~{4}\r\n" + new String(new byte[] {0, 1, 2, (byte) 0xff},
                            StandardCharsets.UTF_8) + ")",
                    "t6 OK FETCH completed");
            assertThat(c.command("FETCH 2 (BODY.PEEK[1] BODY.PEEK[2.MIME])")).containsExactly(
                    "* 2 FETCH (BODY[1] {2}\r\nhi BODY[2.MIME] {77}\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Transfer-Encoding: base64\r\n\r\n)",
                    "t7 OK FETCH completed");
            c.command("STORE 1:2 +FLAGS.SILENT (\\Deleted)");
            assertThat(c.command("UID EXPUNGE 2")).containsExactly("* 2 EXPUNGE", "t9 OK UID EXPUNGE completed");
            assertThat(c.command("CHECK")).containsExactly("t10 OK CHECK completed");
            assertThat(c.command("CLOSE")).containsExactly("t11 OK CLOSE completed");
            assertThat(c.command("STATUS Ext (MESSAGES DELETED)")).containsExactly("* STATUS Ext (MESSAGES 0 DELETED 0)",
                    "t12 OK STATUS completed");
        }
    }

    @Test
    void listStatusSpecialUseAppendTryCreateAndRev2() throws Exception {
        try (ImapClient c = new ImapClient(server.port("imap")).loginAlice()) {
            assertThat(c.command("LIST (SPECIAL-USE) \"\" *")).containsExactly(
                    "* LIST (\\HasNoChildren \\Archive) \".\" Archive",
                    "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts",
                    "* LIST (\\HasNoChildren \\Junk) \".\" Junk",
                    "* LIST (\\HasNoChildren \\Sent) \".\" Sent",
                    "* LIST (\\HasNoChildren \\Trash) \".\" Trash",
                    "t1 OK LIST completed");
            assertThat(c.command("LIST \"\" Sent RETURN (STATUS (MESSAGES UNSEEN))")).containsExactly(
                    "* LIST (\\HasNoChildren \\Sent) \".\" Sent", "* STATUS Sent (MESSAGES 0 UNSEEN 0)", "t2 OK LIST completed");
            c.send("a APPEND Missing {3+}");
            c.sendRaw("x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.until("a")).containsExactly("a NO [TRYCREATE] no folder Missing");
            assertThat(c.command("ENABLE IMAP4rev2")).containsExactly("* ENABLED IMAP4REV2", "t3 OK ENABLE completed");
            List<String> select = c.command("SELECT Sent");
            assertThat(select).doesNotContain("* 0 RECENT").contains("* LIST () \".\" Sent");
            assertThat(c.command("SEARCH ALL")).containsExactly("* ESEARCH (TAG \"t5\")", "t5 OK SEARCH completed");
        }
    }

    @Test
    void startTlsAnswerThenHandshake() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", server.port("imap-strict"))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            assertThat(in.readLine()).contains("STARTTLS", "LOGINDISABLED");
            out.write("s1 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("s1 OK Begin TLS negotiation now");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true)) {
                tls.startHandshake();
                BufferedReader tin = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
                tls.getOutputStream().write("s2 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII));
                String caps = tin.readLine();
                assertThat(caps).contains("AUTH=PLAIN").doesNotContain("STARTTLS", "LOGINDISABLED");
                assertThat(tin.readLine()).isEqualTo("s2 OK CAPABILITY completed");
                tls.getOutputStream().write("s3 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(tin.readLine()).isEqualTo("s3 BAD TLS is already active");
                tls.getOutputStream().write("s4 LOGIN alice@example.test secret\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(tin.readLine()).startsWith("s4 OK [CAPABILITY");
            }
        }
    }

    @Test
    void sortAndThreadOrderedSubject() throws Exception {
        try (ImapClient c = new ImapClient(server.port("imap")).loginAlice()) {
            c.command("CREATE Sorted");
            String[] messages = {
                "From: Zed <zed@example.test>\r\nSubject: Lunch\r\nDate: Tue, 2 Jan 2024 10:00:00 +0000\r\n\r\nx\r\n",
                "From: amy@example.test\r\nSubject: Re: lunch\r\nDate: Tue, 2 Jan 2024 12:00:00 +0000\r\n\r\nlonger body\r\n",
                "From: Bob <bob@example.test>\r\nSubject: Budget\r\nDate: Mon, 1 Jan 2024 09:00:00 +0000\r\n\r\ny\r\n",
                "From: carl@example.test\r\nSubject: [team] Re: Lunch\r\nDate: Wed, 3 Jan 2024 08:00:00 +0000\r\n\r\nz\r\n"};
            for (String m : messages) {
                c.send("ap APPEND Sorted {" + m.length() + "+}");
                c.sendRaw((m + "\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(last(c.until("ap"))).startsWith("ap OK");
            }
            c.command("SELECT Sorted");
            assertThat(c.command("SORT (DATE) UTF-8 ALL")).containsExactly("* SORT 3 1 2 4", "t3 OK SORT completed");
            assertThat(c.command("SORT (SUBJECT REVERSE DATE) UTF-8 ALL")).containsExactly("* SORT 3 4 2 1", "t4 OK SORT completed");
            assertThat(c.command("UID SORT (FROM) UTF-8 NOT FROM carl")).containsExactly("* SORT 2 3 1", "t5 OK UID SORT completed");
            assertThat(c.command("SORT (DISPLAYFROM) UTF-8 ALL")).containsExactly("* SORT 2 3 4 1", "t6 OK SORT completed");
            assertThat(c.command("SORT (REVERSE SIZE) UTF-8 ALL")).containsExactly("* SORT 2 4 3 1", "t7 OK SORT completed");
            assertThat(c.command("THREAD ORDEREDSUBJECT UTF-8 ALL")).containsExactly("* THREAD (3)(1 (2)(4))",
                    "t8 OK THREAD completed");
            assertThat(c.command("THREAD REFERENCES UTF-8 ALL")).containsExactly("* THREAD (3)(1 (2)(4))",
                    "t9 OK THREAD completed");
            assertThat(c.command("THREAD JWZ UTF-8 ALL")).containsExactly("t10 BAD Unsupported threading algorithm JWZ");
        }
    }

    @Test
    void threadReferences() throws Exception {
        try (ImapClient c = new ImapClient(server.port("imap")).loginAlice()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" THREAD=ORDEREDSUBJECT THREAD=REFERENCES ");
            c.command("CREATE Threads");
            String[] messages = {
                "Message-ID: <a@x>\r\nSubject: Plan\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nx\r\n",
                "Message-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nSubject: Re: Plan\r\nDate: Mon, 1 Jan 2024 11:00:00 +0000\r\n\r\nx\r\n",
                "Message-ID: <c@x>\r\nReferences: <a@x>\r\n <b@x>\r\nSubject: Re: Plan\r\nDate: Mon, 1 Jan 2024 12:00:00 +0000\r\n\r\nx\r\n",
                "Message-ID: <d@x>\r\nReferences: <a@x>\r\nSubject: Re: Plan\r\nDate: Mon, 1 Jan 2024 10:30:00 +0000\r\n\r\nx\r\n",
                "Message-ID: <e@x>\r\nReferences: <gone@x>\r\nSubject: Re: Other\r\nDate: Tue, 2 Jan 2024 10:00:00 +0000\r\n\r\nx\r\n",
                "Message-ID: <f@x>\r\nReferences: <gone@x>\r\nSubject: Re: Other\r\nDate: Mon, 1 Jan 2024 09:00:00 +0000\r\n\r\nx\r\n",
                "Subject: plan\r\nDate: Wed, 3 Jan 2024 10:00:00 +0000\r\n\r\nx\r\n"};
            for (String m : messages) {
                c.send("ap APPEND Threads {" + m.length() + "+}");
                c.sendRaw((m + "\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(last(c.until("ap"))).startsWith("ap OK");
            }
            c.command("SELECT Threads");
            // <a@x> has 4 (earlier) and 2, 2 has 3; 5 and 6 share the missing <gone@x>; 7 is another original "Plan".
            assertThat(c.command("THREAD REFERENCES UTF-8 ALL")).containsExactly("* THREAD ((6)(5))((1 (4)(2 3))(7))",
                    "t4 OK THREAD completed");
            c.command("STORE 2 +FLAGS.SILENT (\\Deleted)");
            c.command("EXPUNGE");
            assertThat(c.command("UID THREAD REFERENCES US-ASCII NOT SUBJECT other")).containsExactly(
                    "* THREAD ((1 (4)(3))(7))", "t7 OK UID THREAD completed");
            assertThat(c.command("THREAD REFERENCES US-ASCII NOT SUBJECT other")).containsExactly(
                    "* THREAD ((1 (3)(2))(6))", "t8 OK THREAD completed");
            assertThat(c.command("THREAD REFERENCES UTF-8 SUBJECT nothing")).containsExactly("* THREAD", "t9 OK THREAD completed");
            assertThat(c.command("THREAD REFERENCES KOI8-R ALL")).containsExactly(
                    "t10 NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported");
        }
    }

    @Test
    void quotaWithLimits() throws Exception {
        server.directory.addAccount(mailserver.core.mail.MailAddress.parse("carol@example.test"), "pw".toCharArray(), 10 * 1024, "Carol");
        try (ImapClient c = new ImapClient(server.port("imap")).login("carol@example.test", "pw")) {
            assertThat(c.command("GETQUOTA \"\"")).containsExactly("* QUOTA \"\" (STORAGE 0 10)", "t1 OK GETQUOTA completed");
            assertThat(c.command("GETQUOTA other")).containsExactly("t2 NO [NONEXISTENT] No such quota root");
            String big = "Subject: big\r\n\r\n" + "x".repeat(12 * 1024) + "\r\n";
            c.send("q APPEND INBOX {" + big.length() + "+}");
            c.sendRaw((big + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(last(c.until("q"))).startsWith("q NO [OVERQUOTA] ");
            c.send("r APPEND INBOX {" + PLAIN.length() + "+}");
            c.sendRaw((PLAIN + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(last(c.until("r"))).startsWith("r OK [APPENDUID ");
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 1 10)",
                    "t3 OK GETQUOTAROOT completed");
        }
    }

    @Test
    void compressDeflate() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port("imap"))) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            in.readLine();
            out.write("z0 COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("z0 BAD Log in first");
            out.write("z1 LOGIN alice@example.test secret\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("z1 OK [CAPABILITY").contains("COMPRESS=DEFLATE");
            out.write("z2 COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("z2 OK DEFLATE active");
            java.util.zip.DeflaterOutputStream zout = new java.util.zip.DeflaterOutputStream(out,
                    new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true), true);
            // Byte by byte: InflaterInputStream.available() is always 1, so a Reader on it would read past the line and block.
            java.io.InputStream zin = new java.util.zip.InflaterInputStream(socket.getInputStream(), new java.util.zip.Inflater(true));
            zout.write("z3 COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII));
            zout.flush();
            assertThat(line(zin)).isEqualTo("z3 NO [COMPRESSIONACTIVE] DEFLATE is already active");
            zout.write("z4 STATUS INBOX (UIDNEXT)\r\nz5 LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
            zout.flush();
            assertThat(line(zin)).startsWith("* STATUS INBOX (UIDNEXT ");
            assertThat(line(zin)).isEqualTo("z4 OK STATUS completed");
            assertThat(line(zin)).isEqualTo("* BYE Logging out");
        }
    }

    private static String line(java.io.InputStream in) throws java.io.IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new java.io.EOFException();
            }
            s.append((char) b);
        }
        return s.toString().stripTrailing();
    }

    /** Trusts the test server's self-signed certificate. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

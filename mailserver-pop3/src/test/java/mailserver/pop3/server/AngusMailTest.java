package mailserver.pop3.server;

import static mailserver.pop3.server.Pop3TestServer.ALICE;
import static mailserver.pop3.server.Pop3TestServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Angus Mail's POP3 provider (the Jakarta Mail reference client) against the real listeners. */
class AngusMailTest {

    static final String MESSAGE = "From: Carol <carol@example.test>\r\nTo: alice@example.test\r\nSubject: Hello\r\n"
            + "Message-ID: <1@example.test>\r\n\r\nFirst line\r\n.starts with a dot\r\n\r\nLast line\r\n";

    @TempDir
    Path work;
    Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(work);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Store connect(String protocol, int port) throws Exception {
        Properties props = new Properties();
        props.put("mail." + protocol + ".host", "127.0.0.1");
        props.put("mail." + protocol + ".port", String.valueOf(port));
        props.put("mail." + protocol + ".ssl.trust", "*");
        props.put("mail." + protocol + ".ssl.checkserveridentity", "false"); // self-signed for localhost, reached as 127.0.0.1
        if (protocol.equals("pop3")) {
            props.put("mail.pop3.starttls.enable", "true");
            props.put("mail.pop3.starttls.required", "true");
        }
        props.put("mail." + protocol + ".connectiontimeout", "20000");
        props.put("mail." + protocol + ".timeout", "20000");
        Store store = Session.getInstance(props).getStore(protocol);
        store.connect(ALICE, PASSWORD);
        return store;
    }

    static byte[] bytes(Message message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void readsMessagesAndUidsOverImplicitTls() throws Exception {
        long uid = server.deliver(ALICE, MESSAGE);
        long uidValidity = server.inbox(ALICE).sync().uidValidity();
        Store store = connect("pop3s", server.tlsPort());
        try {
            POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);

            assertThat(inbox.getMessageCount()).isEqualTo(1);
            Message message = inbox.getMessage(1);
            assertThat(message.getSubject()).isEqualTo("Hello");
            assertThat(message.getSize()).isEqualTo(MESSAGE.length() - MESSAGE.indexOf("\r\n\r\n") - 4);
            assertThat(inbox.getUID(message)).isEqualTo(String.format(Locale.ROOT, "%08x%08x", uid, uidValidity));
            assertThat(new String(bytes(message), StandardCharsets.US_ASCII)).isEqualTo(MESSAGE);
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    void deletesOnCloseAfterStls() throws Exception {
        server.deliver(ALICE, MESSAGE);
        server.deliver(ALICE, MESSAGE.replace("Hello", "Second"));
        Store store = connect("pop3", server.plainPort());
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        } finally {
            store.close();
        }
        assertThat(server.inbox(ALICE).sync().messages()).hasSize(1);
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailure() throws Exception {
        Properties props = new Properties();
        props.put("mail.pop3s.ssl.trust", "*");
        props.put("mail.pop3s.ssl.checkserveridentity", "false");
        Store store = Session.getInstance(props).getStore("pop3s");

        assertThatThrownBy(() -> store.connect("127.0.0.1", server.tlsPort(), ALICE, "wrong"))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("[AUTH] Authentication failed.");
    }
}
